// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @notice A minimal smart-account for the dev world and tests: a contract wallet whose one owner signs for
/// it (ERC-1271), so an approval quorum can name a contract member the way it would name a Safe.
contract DevContractWallet {
    bytes4 internal constant MAGIC_VALUE = 0x1626ba7e;

    address public immutable owner;

    constructor(address owner_) {
        owner = owner_;
    }

    /// @notice ERC-1271: valid when the owner signed `hash` (65-byte ECDSA signature).
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        (address signer, ECDSA.RecoverError error,) = ECDSA.tryRecover(hash, signature);
        if (error == ECDSA.RecoverError.NoError && signer == owner) return MAGIC_VALUE;
        return 0xffffffff;
    }
}
