// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IVaultRegistry} from "../interfaces/IVaultRegistry.sol";
import {SuperVault} from "../SuperVault.sol";
import {SessionKeyUserOpAccount} from "./SessionKeyUserOpAccount.sol";

/// @title SuperVaultAccount
/// @notice EIP4337: the vault is itself the smart account. Its executor is the EntryPoint, so
///         {SuperVault.executeHooks} runs only from a user op (sender = this vault) a session key signed; its
///         budgets live here too, set by the primary manager with {setBudget}.
contract SuperVaultAccount is SuperVault, SessionKeyUserOpAccount {
    constructor(
        IERC20 asset_,
        string memory name_,
        string memory symbol_,
        IVaultRegistry registry_,
        address entryPoint_
    ) SuperVault(asset_, name_, symbol_, registry_, entryPoint_) SessionKeyUserOpAccount(registry_, entryPoint_) {}

    /// @dev The EntryPoint calls {SuperVault.executeHooks} directly (the vault is the account), so the limits are
    ///      applied in its execution: the pause again (it may have come between validation and execution) and the
    ///      budgets, which ERC-4337 validation may not write.
    function _afterHooks(address[] calldata hooks, uint256[] calldata amounts, uint256[] memory outputs)
        internal
        override
    {
        _requireNotPaused(address(this));
        _chargeBudgets(address(this), hooks, amounts, outputs);
    }

    function _checkStrategy(address strategy) internal view override {
        if (strategy != address(this)) revert StrategyNotServed(strategy);
    }

    function _opStrategy(bytes calldata callData) internal view override returns (address, bool) {
        bool ok = callData.length >= 4 && bytes4(callData[:4]) == this.executeHooks.selector;
        return (address(this), ok);
    }
}
