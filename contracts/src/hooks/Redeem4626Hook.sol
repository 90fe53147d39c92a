// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {Execution, IHook} from "../interfaces/IHook.sol";

/// @title Redeem4626Hook
/// @notice Redeems `amount` shares of an ERC-4626 yield source held by the account, back to the account.
/// @dev hookArgs = abi.encode(address yieldSource); tokenIn = yield source shares, tokenOut = asset.
contract Redeem4626Hook is IHook {
    /// @inheritdoc IHook
    function build(address account, bytes calldata hookArgs, uint256 amount)
        external
        view
        returns (Execution[] memory executions, address tokenIn, address tokenOut)
    {
        address yieldSource = abi.decode(hookArgs, (address));
        tokenIn = yieldSource;
        tokenOut = IERC4626(yieldSource).asset();
        executions = new Execution[](1);
        executions[0] = Execution(yieldSource, 0, abi.encodeCall(IERC4626.redeem, (amount, account, account)));
    }
}
