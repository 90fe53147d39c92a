// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ISuperVault} from "./interfaces/ISuperVault.sol";
import {IVaultRegistry} from "./interfaces/IVaultRegistry.sol";
import {StrategyBudgets} from "./limits/StrategyBudgets.sol";

/// @title SessionKeyExecutor
/// @notice Per-strategy session keys (modelled on Superform's SuperVaultExecutor): the primary manager grants a
///         short-lived key that an off-chain service holds, and the key may run the strategy's hooks through here.
/// @dev A key is valid while: granted, not revoked, of the strategy's current generation, its granting manager is
///      still primary, `block.timestamp < expiry`, and it holds PERMISSION_EXECUTE_HOOKS. Every key of a vault the
///      registry reports paused is refused ({VaultPaused}); every hook call is charged to its budget
///      ({StrategyBudgets}), with the amount it really used ("previous output" legs at that output).
contract SessionKeyExecutor is StrategyBudgets {
    struct SessionKey {
        uint64 expiry;
        uint64 generation;
        address grantedBy;
        uint256 permissions;
        bool revoked;
    }

    /// @notice Permission bit: may call {executeHooks}.
    uint256 public constant PERMISSION_EXECUTE_HOOKS = 1;

    uint8 public constant STATUS_VALID = 0;
    uint8 public constant STATUS_NONE = 1;
    uint8 public constant STATUS_EXPIRED = 2;
    uint8 public constant STATUS_REVOKED = 3;
    uint8 public constant STATUS_GENERATION_CHANGED = 4;
    uint8 public constant STATUS_MANAGER_CHANGED = 5;
    uint8 public constant STATUS_MISSING_PERMISSION = 6;

    IVaultRegistry public immutable registry;

    mapping(address strategy => mapping(address key => SessionKey)) private _keys;
    mapping(address strategy => uint64) private _generation;

    event SessionKeyGranted(
        address indexed strategy,
        address indexed key,
        uint64 expiry,
        uint256 permissions,
        uint64 generation,
        address indexed grantedBy
    );
    event SessionKeyRevoked(address indexed strategy, address indexed key, address indexed by);
    event SessionKeysInvalidated(address indexed strategy, uint64 newGeneration, address indexed by);

    error NotPrimaryManager();
    error InvalidSessionKey(uint8 status);
    error InvalidExpiry();
    error ZeroAddress();
    error GasForwardFailed();
    error VaultPaused(address strategy);

    /// @dev SuperVault.USE_PREVIOUS_OUTPUT: the leg spends the previous leg's output.
    uint256 private constant _USE_PREVIOUS_OUTPUT = type(uint256).max;

    modifier onlyPrimary(address strategy) {
        if (msg.sender != registry.primaryManager(strategy)) revert NotPrimaryManager();
        _;
    }

    constructor(IVaultRegistry registry_) {
        if (address(registry_) == address(0)) revert ZeroAddress();
        registry = registry_;
    }

    /// @notice Grants (or re-grants) `key` for `strategy`; `msg.value` is forwarded to the key as gas money.
    function grantSessionKey(address strategy, address key, uint64 expiry, uint256 permissions)
        external
        payable
        onlyPrimary(strategy)
    {
        _grant(strategy, key, expiry, permissions);
    }

    /// @notice Revokes `oldKey` and grants `newKey` in one transaction; `msg.value` goes to `newKey`.
    function rotateSessionKey(address strategy, address oldKey, address newKey, uint64 expiry, uint256 permissions)
        external
        payable
        onlyPrimary(strategy)
    {
        _revoke(strategy, oldKey);
        _grant(strategy, newKey, expiry, permissions);
    }

    /// @notice Revokes one key of `strategy`.
    function revokeSessionKey(address strategy, address key) external onlyPrimary(strategy) {
        _revoke(strategy, key);
    }

    /// @notice Invalidates every key of `strategy` at once by moving to a new generation.
    function invalidateAllSessionKeys(address strategy) external onlyPrimary(strategy) {
        uint64 next = _generation[strategy] + 1;
        _generation[strategy] = next;
        emit SessionKeysInvalidated(strategy, next, msg.sender);
    }

    /// @notice Runs hooks on `strategy`; the caller must hold a valid key with PERMISSION_EXECUTE_HOOKS.
    function executeHooks(
        address strategy,
        address[] calldata hooks,
        bytes[] calldata hookArgs,
        uint256[] calldata amounts,
        uint256[] calldata minOutputs,
        bytes32[][] calldata proofs
    ) external returns (uint256[] memory outputs) {
        uint8 status = sessionKeyStatus(strategy, msg.sender);
        if (status != STATUS_VALID) revert InvalidSessionKey(status);
        if (registry.isPaused(strategy)) revert VaultPaused(strategy);
        outputs = ISuperVault(strategy).executeHooks(hooks, hookArgs, amounts, minOutputs, proofs);
        // The vault checked the lengths. Charged after the run so a "previous output" leg counts what it really
        // used; an overrun reverts the whole call, so nothing over budget ever stays executed.
        for (uint256 i = 0; i < hooks.length; ++i) {
            uint256 used = amounts[i] == _USE_PREVIOUS_OUTPUT ? outputs[i - 1] : amounts[i];
            _spendBudget(strategy, hooks[i], used);
        }
    }

    /// @notice The stored record of `key` for `strategy` (all zero when never granted).
    function getSessionKey(address strategy, address key)
        external
        view
        returns (uint64 expiry, uint64 generation_, address grantedBy, uint256 permissions, bool revoked)
    {
        SessionKey memory record = _keys[strategy][key];
        return (record.expiry, record.generation, record.grantedBy, record.permissions, record.revoked);
    }

    /// @notice The current key generation of `strategy`.
    function generation(address strategy) external view returns (uint64) {
        return _generation[strategy];
    }

    /// @notice Whether `key` may execute hooks on `strategy` right now.
    function isSessionKeyValid(address strategy, address key) external view returns (bool) {
        return sessionKeyStatus(strategy, key) == STATUS_VALID;
    }

    /// @notice Why `key` is (in)valid: the first failing check, in the order
    ///         NONE, REVOKED, GENERATION_CHANGED, MANAGER_CHANGED, EXPIRED, MISSING_PERMISSION.
    function sessionKeyStatus(address strategy, address key) public view returns (uint8) {
        SessionKey memory record = _keys[strategy][key];
        if (record.grantedBy == address(0)) return STATUS_NONE;
        if (record.revoked) return STATUS_REVOKED;
        if (record.generation != _generation[strategy]) return STATUS_GENERATION_CHANGED;
        if (record.grantedBy != registry.primaryManager(strategy)) return STATUS_MANAGER_CHANGED;
        if (block.timestamp >= record.expiry) return STATUS_EXPIRED;
        if (record.permissions & PERMISSION_EXECUTE_HOOKS == 0) return STATUS_MISSING_PERMISSION;
        return STATUS_VALID;
    }

    /// @dev Budgets are the primary manager's, like keys.
    function _authorizeBudgetChange(address strategy) internal view override {
        if (msg.sender != registry.primaryManager(strategy)) revert NotPrimaryManager();
    }

    function _grant(address strategy, address key, uint64 expiry, uint256 permissions) private {
        if (key == address(0)) revert ZeroAddress();
        if (expiry <= block.timestamp) revert InvalidExpiry();
        uint64 current = _generation[strategy];
        _keys[strategy][key] = SessionKey(expiry, current, msg.sender, permissions, false);
        emit SessionKeyGranted(strategy, key, expiry, permissions, current, msg.sender);
        if (msg.value > 0) {
            (bool ok,) = key.call{value: msg.value}("");
            if (!ok) revert GasForwardFailed();
        }
    }

    function _revoke(address strategy, address key) private {
        SessionKey storage record = _keys[strategy][key];
        if (record.grantedBy == address(0)) revert InvalidSessionKey(STATUS_NONE);
        record.revoked = true;
        emit SessionKeyRevoked(strategy, key, msg.sender);
    }
}
