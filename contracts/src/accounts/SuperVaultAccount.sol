// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IVaultRegistry} from "../interfaces/IVaultRegistry.sol";
import {SuperVault} from "../SuperVault.sol";
import {SessionKeyUserOpAccount} from "./SessionKeyUserOpAccount.sol";

/// @title SuperVaultAccount
/// @notice EIP4337: the vault is itself the smart account. Its executor is the EntryPoint, so
///         {SuperVault.executeHooks} runs only from a user op (sender = this vault) a session key signed.
contract SuperVaultAccount is SuperVault, SessionKeyUserOpAccount {
    constructor(
        IERC20 asset_,
        string memory name_,
        string memory symbol_,
        IVaultRegistry registry_,
        address entryPoint_
    ) SuperVault(asset_, name_, symbol_, registry_, entryPoint_) SessionKeyUserOpAccount(registry_, entryPoint_) {}

    function _checkStrategy(address strategy) internal view override {
        if (strategy != address(this)) revert StrategyNotServed(strategy);
    }

    function _opStrategy(bytes calldata callData) internal view override returns (address, bool) {
        bool ok = callData.length >= 4 && bytes4(callData[:4]) == this.executeHooks.selector;
        return (address(this), ok);
    }
}
