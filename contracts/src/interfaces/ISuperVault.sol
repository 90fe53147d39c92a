// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title ISuperVault
/// @notice The hook entry point the session-key executor forwards to.
interface ISuperVault {
    function executeHooks(
        address[] calldata hooks,
        bytes[] calldata hookArgs,
        uint256[] calldata amounts,
        uint256[] calldata minOutputs,
        bytes32[][] calldata proofs
    ) external returns (uint256[] memory outputs);
}
