// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";
import {IVaultRegistry} from "./interfaces/IVaultRegistry.sol";

/// @title VaultRegistry
/// @notice The on-chain source of vault roles (primary and secondary managers) and of each strategy's
///         hooks merkle root. A vault is its own strategy, so "vault" and "strategy" are the same address.
/// @dev Root changes go through propose + execute after `timelock` (as Superform does); while `devMode` is on
///      the owner may set a root directly so a dev deploy needs no waiting.
contract VaultRegistry is IVaultRegistry, Ownable {
    using EnumerableSet for EnumerableSet.AddressSet;

    struct PendingRoot {
        bytes32 root;
        uint256 effectiveAt;
    }

    /// @notice Delay between {proposeHooksRoot} and {executeHooksRoot}, in seconds.
    uint256 public immutable timelock;
    /// @notice Whether the owner may still call {setHooksRootDev}.
    bool public devMode;

    address[] private _vaults;
    mapping(address vault => bool) private _registered;
    mapping(address vault => address) private _primary;
    mapping(address vault => EnumerableSet.AddressSet) private _secondaries;
    mapping(address vault => bytes32) private _hooksRoot;
    mapping(address vault => PendingRoot) private _pending;
    mapping(address vault => bool) private _paused;
    mapping(address vault => EnumerableSet.AddressSet) private _guardianSet;
    /// @dev The primary manager who named the guardian; a guardian counts only while that manager is still primary.
    mapping(address vault => mapping(address guardian => address)) private _guardianNamedBy;

    event VaultRegistered(address indexed vault, address indexed primaryManager);
    event PrimaryManagerChanged(address indexed vault, address indexed previous, address indexed current);
    event SecondaryManagerAdded(address indexed vault, address indexed manager);
    event SecondaryManagerRemoved(address indexed vault, address indexed manager);
    event HooksRootProposed(address indexed vault, bytes32 root, uint256 effectiveAt);
    event HooksRootUpdated(address indexed vault, bytes32 root);
    event DevModeDisabled();
    event GuardianSet(address indexed vault, address indexed guardian, bool enabled, address indexed by);
    event VaultPaused(address indexed vault, address indexed by);
    event VaultUnpaused(address indexed vault, address indexed by);

    error ZeroAddress();
    error AlreadyRegistered(address vault);
    error NotRegistered(address vault);
    error NotPrimaryManager();
    error NotOwnerOrPrimaryManager();
    error DevModeOff();
    error NoPendingRoot();
    error TimelockNotElapsed(uint256 effectiveAt);
    error SecondaryManagerExists(address manager);
    error SecondaryManagerMissing(address manager);
    error NotPrimaryOrGuardian();
    error AlreadyPaused(address vault);
    error NotPaused(address vault);

    modifier onlyRegistered(address vault) {
        if (!_registered[vault]) revert NotRegistered(vault);
        _;
    }

    modifier onlyPrimary(address vault) {
        if (!_registered[vault]) revert NotRegistered(vault);
        if (msg.sender != _primary[vault]) revert NotPrimaryManager();
        _;
    }

    constructor(address owner_, uint256 timelock_, bool devMode_) Ownable(owner_) {
        timelock = timelock_;
        devMode = devMode_;
    }

    // ---------------------------------------------------------------- roles

    /// @notice Registers `vault` with its first primary manager.
    function registerVault(address vault, address primaryManager_) external onlyOwner {
        if (vault == address(0) || primaryManager_ == address(0)) revert ZeroAddress();
        if (_registered[vault]) revert AlreadyRegistered(vault);
        _registered[vault] = true;
        _primary[vault] = primaryManager_;
        _vaults.push(vault);
        emit VaultRegistered(vault, primaryManager_);
        emit PrimaryManagerChanged(vault, address(0), primaryManager_);
    }

    /// @notice Hands the primary role to `newPrimary`; the owner or the current primary may do it.
    /// @dev Session keys granted by the previous primary become invalid (the executor checks `grantedBy`).
    function setPrimaryManager(address vault, address newPrimary) external onlyRegistered(vault) {
        if (msg.sender != owner() && msg.sender != _primary[vault]) revert NotOwnerOrPrimaryManager();
        if (newPrimary == address(0)) revert ZeroAddress();
        address previous = _primary[vault];
        _primary[vault] = newPrimary;
        emit PrimaryManagerChanged(vault, previous, newPrimary);
    }

    /// @notice Adds a secondary manager (may submit intents but not manage session keys).
    function addSecondaryManager(address vault, address manager) external onlyPrimary(vault) {
        if (manager == address(0)) revert ZeroAddress();
        if (!_secondaries[vault].add(manager)) revert SecondaryManagerExists(manager);
        emit SecondaryManagerAdded(vault, manager);
    }

    /// @notice Removes a secondary manager.
    function removeSecondaryManager(address vault, address manager) external onlyPrimary(vault) {
        if (!_secondaries[vault].remove(manager)) revert SecondaryManagerMissing(manager);
        emit SecondaryManagerRemoved(vault, manager);
    }

    // ---------------------------------------------------------------- hooks roots

    /// @notice Proposes a new hooks root; it takes effect via {executeHooksRoot} after `timelock`.
    function proposeHooksRoot(address vault, bytes32 root) external onlyPrimary(vault) {
        uint256 effectiveAt = block.timestamp + timelock;
        _pending[vault] = PendingRoot(root, effectiveAt);
        emit HooksRootProposed(vault, root, effectiveAt);
    }

    /// @notice Activates the pending root once its timelock has elapsed. Anyone may call it: the
    ///         decision was the primary manager's, the delay only gives depositors time to react.
    function executeHooksRoot(address vault) external onlyRegistered(vault) {
        PendingRoot memory pending = _pending[vault];
        if (pending.effectiveAt == 0) revert NoPendingRoot();
        if (block.timestamp < pending.effectiveAt) revert TimelockNotElapsed(pending.effectiveAt);
        delete _pending[vault];
        _setRoot(vault, pending.root);
    }

    /// @notice Sets a root immediately; owner only and only while `devMode` is on.
    function setHooksRootDev(address vault, bytes32 root) external onlyOwner onlyRegistered(vault) {
        if (!devMode) revert DevModeOff();
        _setRoot(vault, root);
    }

    /// @notice Turns dev mode off for good.
    function disableDevMode() external onlyOwner {
        devMode = false;
        emit DevModeDisabled();
    }

    // ---------------------------------------------------------------- pause

    /// @notice Names (or with `enabled == false` removes) a guardian who may pause `vault`; primary only.
    function setGuardian(address vault, address guardian, bool enabled) external onlyPrimary(vault) {
        if (guardian == address(0)) revert ZeroAddress();
        if (enabled) {
            _guardianSet[vault].add(guardian);
            _guardianNamedBy[vault][guardian] = msg.sender;
        } else {
            _guardianSet[vault].remove(guardian);
            delete _guardianNamedBy[vault][guardian];
        }
        emit GuardianSet(vault, guardian, enabled, msg.sender);
    }

    /// @notice Pauses the automation of `vault`: executors and accounts refuse its session keys until {unpause}.
    ///         The primary manager or a guardian the current primary manager named may pause.
    function pause(address vault) external onlyRegistered(vault) {
        if (msg.sender != _primary[vault] && !isGuardian(vault, msg.sender)) revert NotPrimaryOrGuardian();
        if (_paused[vault]) revert AlreadyPaused(vault);
        _paused[vault] = true;
        emit VaultPaused(vault, msg.sender);
    }

    /// @notice Lifts the pause; the primary manager only (a guardian can stop, never restart).
    function unpause(address vault) external onlyPrimary(vault) {
        if (!_paused[vault]) revert NotPaused(vault);
        _paused[vault] = false;
        emit VaultUnpaused(vault, msg.sender);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IVaultRegistry
    function isPaused(address vault) external view returns (bool) {
        return _paused[vault];
    }

    /// @notice Whether `account` may pause `vault` as a guardian (named by the current primary manager).
    function isGuardian(address vault, address account) public view returns (bool) {
        address namedBy = _guardianNamedBy[vault][account];
        return namedBy != address(0) && namedBy == _primary[vault];
    }

    /// @notice Guardians of `vault` that the current primary manager named, in no particular order.
    function guardians(address vault) external view returns (address[] memory list) {
        address[] memory all = _guardianSet[vault].values();
        list = new address[](all.length);
        uint256 count = 0;
        for (uint256 i = 0; i < all.length; ++i) {
            if (isGuardian(vault, all[i])) list[count++] = all[i];
        }
        assembly ("memory-safe") {
            mstore(list, count)
        }
    }

    /// @inheritdoc IVaultRegistry
    function primaryManager(address vault) external view returns (address) {
        return _primary[vault];
    }

    /// @inheritdoc IVaultRegistry
    function isSecondaryManager(address vault, address manager) external view returns (bool) {
        return _secondaries[vault].contains(manager);
    }

    /// @notice All secondary managers of `vault`, in no particular order.
    function secondaryManagers(address vault) external view returns (address[] memory) {
        return _secondaries[vault].values();
    }

    /// @inheritdoc IVaultRegistry
    function hooksRoot(address vault) external view returns (bytes32) {
        return _hooksRoot[vault];
    }

    /// @notice The proposed root of `vault` and when it may be executed (0 when nothing is pending).
    function pendingHooksRoot(address vault) external view returns (bytes32 root, uint256 effectiveAt) {
        PendingRoot memory pending = _pending[vault];
        return (pending.root, pending.effectiveAt);
    }

    /// @inheritdoc IVaultRegistry
    function isRegistered(address vault) external view returns (bool) {
        return _registered[vault];
    }

    /// @notice Every registered vault, in registration order.
    function getVaults() external view returns (address[] memory) {
        return _vaults;
    }

    function _setRoot(address vault, bytes32 root) private {
        _hooksRoot[vault] = root;
        emit HooksRootUpdated(vault, root);
    }
}
