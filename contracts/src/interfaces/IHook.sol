// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice One call a vault makes on behalf of a hook.
struct Execution {
    address target;
    uint256 value;
    bytes callData;
}

/// @title IHook
/// @notice A hook turns (account, hookArgs, amount) into the calls the account must make.
/// @dev Hooks are pure builders: they never hold funds or call anything themselves, so the vault
///      stays the only actor and the merkle root bounds exactly which targets it may touch.
interface IHook {
    /// @param account The vault that will run the executions.
    /// @param hookArgs ABI-encoded addresses the hook touches (never amounts; those are not in the merkle leaf).
    /// @param amount Amount of `tokenIn` to use.
    /// @return executions The calls to make, in order.
    /// @return tokenIn The token spent.
    /// @return tokenOut The token received; the vault measures its balance delta as the hook's output.
    function build(address account, bytes calldata hookArgs, uint256 amount)
        external
        view
        returns (Execution[] memory executions, address tokenIn, address tokenOut);
}
