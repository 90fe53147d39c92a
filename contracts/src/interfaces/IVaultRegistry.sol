// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IVaultRegistry
/// @notice The views the vault and the session-key executor read: roles, hooks roots and the pause per strategy.
interface IVaultRegistry {
    function primaryManager(address vault) external view returns (address);
    function isSecondaryManager(address vault, address manager) external view returns (bool);
    function hooksRoot(address vault) external view returns (bytes32);
    function isRegistered(address vault) external view returns (bool);
    /// @notice Whether automation of `vault` is paused: every executing contract refuses its session keys.
    function isPaused(address vault) external view returns (bool);
}
