// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ISuperVault} from "../interfaces/ISuperVault.sol";
import {IVaultRegistry} from "../interfaces/IVaultRegistry.sol";
import {StrategyBudgets} from "../limits/StrategyBudgets.sol";

/// @title SessionKeyValidation
/// @notice The session-key records, rules and limits every holder of session keys shares — the OMS-mode
///         {SessionKeyExecutor} and the three smart-account modes alike, so one source states them all:
///         a key is valid while granted, not revoked, of the strategy's current generation, its granting manager
///         is still primary, `block.timestamp < expiry`, and it holds PERMISSION_EXECUTE_HOOKS; a paused vault
///         refuses every key ({VaultPaused}); every hook call is charged to its per-strategy budget
///         ({StrategyBudgets}), which only the primary manager sets.
/// @dev Holders bind the strategies they serve through {_checkStrategy}. Budgets are charged where hooks execute
///      ({_runHooks}, {_chargeBudgets}), never in ERC-4337 validation: validation may not write this storage.
abstract contract SessionKeyValidation is StrategyBudgets {
    struct SessionKey {
        uint64 expiry;
        uint64 generation;
        address grantedBy;
        uint256 permissions;
        bool revoked;
    }

    /// @dev SuperVault.USE_PREVIOUS_OUTPUT: the leg spends the previous leg's output.
    uint256 private constant _USE_PREVIOUS_OUTPUT = type(uint256).max;

    /// @notice Permission bit: may run the strategy's hooks.
    uint256 public constant PERMISSION_EXECUTE_HOOKS = 1;

    uint8 public constant STATUS_VALID = 0;
    uint8 public constant STATUS_NONE = 1;
    uint8 public constant STATUS_EXPIRED = 2;
    uint8 public constant STATUS_REVOKED = 3;
    uint8 public constant STATUS_GENERATION_CHANGED = 4;
    uint8 public constant STATUS_MANAGER_CHANGED = 5;
    uint8 public constant STATUS_MISSING_PERMISSION = 6;

    IVaultRegistry internal immutable _keyRegistry;

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
    error StrategyNotServed(address strategy);
    /// @notice The registry reports the vault paused (the executor's error): no session key may execute.
    error VaultPaused(address strategy);

    modifier onlyPrimary(address strategy) {
        _checkStrategy(strategy);
        if (msg.sender != _keyRegistry.primaryManager(strategy)) revert NotPrimaryManager();
        _;
    }

    constructor(IVaultRegistry registry_) {
        if (address(registry_) == address(0)) revert ZeroAddress();
        _keyRegistry = registry_;
    }

    /// @notice Grants (or re-grants) `key` for `strategy`; `msg.value` funds the key's gas (see {_fundKey}).
    function grantSessionKey(address strategy, address key, uint64 expiry, uint256 permissions)
        external
        payable
        onlyPrimary(strategy)
    {
        _grant(strategy, key, expiry, permissions);
    }

    /// @notice Revokes `oldKey` and grants `newKey` in one transaction.
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
        return _sessionKeyStatus(strategy, key, true) == STATUS_VALID;
    }

    /// @notice Why `key` is (in)valid: the first failing check, in the order
    ///         NONE, REVOKED, GENERATION_CHANGED, MANAGER_CHANGED, EXPIRED, MISSING_PERMISSION.
    function sessionKeyStatus(address strategy, address key) external view returns (uint8) {
        return _sessionKeyStatus(strategy, key, true);
    }

    /// @dev Reverts unless `key` is valid for `strategy` now.
    function _requireValidKey(address strategy, address key) internal view {
        uint8 status = _sessionKeyStatus(strategy, key, true);
        if (status != STATUS_VALID) revert InvalidSessionKey(status);
    }

    /// @dev `checkClock = false` skips the expiry check (ERC-4337 validation returns the expiry as `validUntil`).
    function _sessionKeyStatus(address strategy, address key, bool checkClock) internal view returns (uint8) {
        SessionKey memory record = _keys[strategy][key];
        if (record.grantedBy == address(0)) return STATUS_NONE;
        if (record.revoked) return STATUS_REVOKED;
        if (record.generation != _generation[strategy]) return STATUS_GENERATION_CHANGED;
        if (record.grantedBy != _keyRegistry.primaryManager(strategy)) return STATUS_MANAGER_CHANGED;
        if (checkClock && block.timestamp >= record.expiry) return STATUS_EXPIRED;
        if (record.permissions & PERMISSION_EXECUTE_HOOKS == 0) return STATUS_MISSING_PERMISSION;
        return STATUS_VALID;
    }

    /// @dev The pause holds in every mode, as in {SessionKeyExecutor}: checked where hooks execute.
    function _requireNotPaused(address strategy) internal view {
        if (_keyRegistry.isPaused(strategy)) revert VaultPaused(strategy);
    }

    function _isPaused(address strategy) internal view returns (bool) {
        return _keyRegistry.isPaused(strategy);
    }

    function _keyExpiry(address strategy, address key) internal view returns (uint64) {
        return _keys[strategy][key].expiry;
    }

    /// @dev Budgets are the primary manager's, like keys, and only for a strategy this holder serves.
    function _authorizeBudgetChange(address strategy) internal view override {
        _checkStrategy(strategy);
        if (msg.sender != _keyRegistry.primaryManager(strategy)) revert NotPrimaryManager();
    }

    /// @dev Runs the hooks on `strategy` (which must name this contract its executor) and charges their budgets.
    ///      The caller has checked the key; the pause is checked here so no holder can forget it.
    function _runHooks(
        address strategy,
        address[] calldata hooks,
        bytes[] calldata hookArgs,
        uint256[] calldata amounts,
        uint256[] calldata minOutputs,
        bytes32[][] calldata proofs
    ) internal returns (uint256[] memory outputs) {
        _requireNotPaused(strategy);
        outputs = ISuperVault(strategy).executeHooks(hooks, hookArgs, amounts, minOutputs, proofs);
        _chargeBudgets(strategy, hooks, amounts, outputs);
    }

    /// @dev Charges each leg after the vault ran it, so a "previous output" leg counts what it really used (a
    ///      REBALANCE is one redeem and one deposit: each leg once, against its own hook). An overrun reverts the whole
    ///      call, so nothing over budget ever stays executed. The vault checked the lengths.
    function _chargeBudgets(
        address strategy,
        address[] calldata hooks,
        uint256[] calldata amounts,
        uint256[] memory outputs
    ) internal {
        for (uint256 i = 0; i < hooks.length; ++i) {
            uint256 used = amounts[i] == _USE_PREVIOUS_OUTPUT ? outputs[i - 1] : amounts[i];
            _spendBudget(strategy, hooks[i], used);
        }
    }

    /// @dev Reverts `StrategyNotServed` when this holder does not run `strategy`'s hooks.
    function _checkStrategy(address strategy) internal view virtual;

    /// @dev Where a grant's `msg.value` goes; default: to the key, which sends its own transactions.
    function _fundKey(address key, uint256 value) internal virtual {
        (bool ok,) = key.call{value: value}("");
        if (!ok) revert GasForwardFailed();
    }

    function _grant(address strategy, address key, uint64 expiry, uint256 permissions) private {
        if (key == address(0)) revert ZeroAddress();
        if (expiry <= block.timestamp) revert InvalidExpiry();
        uint64 current = _generation[strategy];
        _keys[strategy][key] = SessionKey(expiry, current, msg.sender, permissions, false);
        emit SessionKeyGranted(strategy, key, expiry, permissions, current, msg.sender);
        if (msg.value > 0) _fundKey(key, msg.value);
    }

    function _revoke(address strategy, address key) private {
        SessionKey storage record = _keys[strategy][key];
        if (record.grantedBy == address(0)) revert InvalidSessionKey(STATUS_NONE);
        record.revoked = true;
        emit SessionKeyRevoked(strategy, key, msg.sender);
    }
}
