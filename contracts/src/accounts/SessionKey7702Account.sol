// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IVaultRegistry} from "../interfaces/IVaultRegistry.sol";
import {SessionKeyValidation} from "./SessionKeyValidation.sol";

interface IHasExecutor {
    function executor() external view returns (address);
}

/// @title SessionKey7702Account
/// @notice EIP7702: the code a strategy EOA delegates to. A session key of a vault whose executor is this EOA
///         sends one transaction per intent to {executeHooks}, which runs the intent's hooks as one batch.
/// @dev Storage (the key records and budget use) lives in the delegating EOA. There is no generic execute: the delegation
///      grants nothing beyond the hooks the vault's merkle root allows.
contract SessionKey7702Account is SessionKeyValidation {
    constructor(IVaultRegistry registry_) SessionKeyValidation(registry_) {}

    /// @notice The EOA keeps receiving plain ETH after it delegates.
    receive() external payable {}

    /// @notice Runs hooks on `strategy`; the caller must hold a valid key of it with ExecuteHooks.
    function executeHooks(
        address strategy,
        address[] calldata hooks,
        bytes[] calldata hookArgs,
        uint256[] calldata amounts,
        uint256[] calldata minOutputs,
        bytes32[][] calldata proofs
    ) external returns (uint256[] memory) {
        _checkStrategy(strategy);
        _requireValidKey(strategy, msg.sender);
        return _runHooks(strategy, hooks, hookArgs, amounts, minOutputs, proofs);
    }

    /// @dev Serves only vaults that name this (delegated) EOA as their executor.
    function _checkStrategy(address strategy) internal view override {
        if (strategy.code.length == 0 || IHasExecutor(strategy).executor() != address(this)) {
            revert StrategyNotServed(strategy);
        }
    }
}
