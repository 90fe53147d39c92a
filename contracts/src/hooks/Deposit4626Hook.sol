// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {Execution, IHook} from "../interfaces/IHook.sol";

/// @title Deposit4626Hook
/// @notice Deposits `amount` assets of the account into an ERC-4626 yield source.
/// @dev hookArgs = abi.encode(address yieldSource); tokenIn = asset, tokenOut = yield source shares.
contract Deposit4626Hook is IHook {
    /// @inheritdoc IHook
    function build(address account, bytes calldata hookArgs, uint256 amount)
        external
        view
        returns (Execution[] memory executions, address tokenIn, address tokenOut)
    {
        address yieldSource = abi.decode(hookArgs, (address));
        tokenIn = IERC4626(yieldSource).asset();
        tokenOut = yieldSource;
        executions = new Execution[](2);
        // Exact approval: the deposit consumes all of it, so no allowance is left behind.
        executions[0] = Execution(tokenIn, 0, abi.encodeCall(IERC20.approve, (yieldSource, amount)));
        executions[1] = Execution(yieldSource, 0, abi.encodeCall(IERC4626.deposit, (amount, account)));
    }
}
