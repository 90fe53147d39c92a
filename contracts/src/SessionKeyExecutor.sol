// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {SessionKeyValidation} from "./accounts/SessionKeyValidation.sol";
import {IVaultRegistry} from "./interfaces/IVaultRegistry.sol";

/// @title SessionKeyExecutor
/// @notice Per-strategy session keys (modelled on Superform's SuperVaultExecutor): the primary manager grants a
///         short-lived key that an off-chain service holds, and the key may run the strategy's hooks through here.
/// @dev The OMS-mode holder of {SessionKeyValidation}: the same key rules, pause and budgets as every account mode.
///      The key sends its own transaction here; a key is checked first, then the pause ({VaultPaused}), then each
///      hook call is charged to its budget with the amount it really used.
contract SessionKeyExecutor is SessionKeyValidation {
    constructor(IVaultRegistry registry_) SessionKeyValidation(registry_) {}

    /// @notice The registry whose primary managers own the keys and budgets and whose pause binds them.
    function registry() external view returns (IVaultRegistry) {
        return _keyRegistry;
    }

    /// @notice Runs hooks on `strategy`; the caller must hold a valid key with PERMISSION_EXECUTE_HOOKS.
    function executeHooks(
        address strategy,
        address[] calldata hooks,
        bytes[] calldata hookArgs,
        uint256[] calldata amounts,
        uint256[] calldata minOutputs,
        bytes32[][] calldata proofs
    ) external returns (uint256[] memory) {
        _requireValidKey(strategy, msg.sender);
        return _runHooks(strategy, hooks, hookArgs, amounts, minOutputs, proofs);
    }

    /// @dev Serves every vault: a vault names the executor it trusts, and only that vault's primary manager grants.
    function _checkStrategy(address) internal view override {}
}
