// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title DevAsset
/// @notice "Dev USD" (dUSD), a 6-decimal ERC-20 that only its deployer can mint: dev chains only.
contract DevAsset is ERC20 {
    /// @notice The only account allowed to mint (the deploy script's account).
    address public immutable minter;

    /// @notice Thrown when anyone but the minter calls {mint}.
    error NotMinter();

    constructor() ERC20("Dev USD", "dUSD") {
        minter = msg.sender;
    }

    /// @inheritdoc ERC20
    function decimals() public pure override returns (uint8) {
        return 6;
    }

    /// @notice Mints `amount` base units to `to`.
    function mint(address to, uint256 amount) external {
        if (msg.sender != minter) revert NotMinter();
        _mint(to, amount);
    }
}
