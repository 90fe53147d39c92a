// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IVaultRegistry} from "../interfaces/IVaultRegistry.sol";
import {SessionKeyUserOpAccount} from "./SessionKeyUserOpAccount.sol";

/// @title SessionKeyCompanion
/// @notice EIP4337_COMPANION: a smart account beside one vault, set as that vault's executor. User ops signed by a
///         session key of the vault call {executeHooks} here, which forwards to the vault and charges its budgets.
contract SessionKeyCompanion is SessionKeyUserOpAccount {
    /// @notice The one vault this companion serves.
    address public immutable vault;

    constructor(IVaultRegistry registry_, address entryPoint_, address vault_)
        SessionKeyUserOpAccount(registry_, entryPoint_)
    {
        if (vault_ == address(0)) revert ZeroAddress();
        vault = vault_;
    }

    /// @notice Runs the vault's hooks (the executor's ABI); only from a user op the session key signed.
    function executeHooks(
        address strategy,
        address[] calldata hooks,
        bytes[] calldata hookArgs,
        uint256[] calldata amounts,
        uint256[] calldata minOutputs,
        bytes32[][] calldata proofs
    ) external onlyEntryPoint returns (uint256[] memory) {
        _checkStrategy(strategy);
        return _runHooks(strategy, hooks, hookArgs, amounts, minOutputs, proofs);
    }

    function _checkStrategy(address strategy) internal view override {
        if (strategy != vault) revert StrategyNotServed(strategy);
    }

    function _opStrategy(bytes calldata callData) internal view override returns (address, bool) {
        if (callData.length < 36 || bytes4(callData[:4]) != this.executeHooks.selector) return (address(0), false);
        address strategy = abi.decode(callData[4:36], (address));
        return (strategy, strategy == vault);
    }
}
