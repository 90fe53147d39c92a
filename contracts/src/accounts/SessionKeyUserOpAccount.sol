// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAccount} from "@account-abstraction/contracts/interfaces/IAccount.sol";
import {PackedUserOperation} from "@account-abstraction/contracts/interfaces/PackedUserOperation.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {IVaultRegistry} from "../interfaces/IVaultRegistry.sol";
import {SessionKeyValidation} from "./SessionKeyValidation.sol";

/// @notice The EntryPoint v0.8 calls an account makes: deposits and nonces.
interface IEntryPointDeposits {
    function depositTo(address account) external payable;
    function balanceOf(address account) external view returns (uint256);
    function getNonce(address sender, uint192 key) external view returns (uint256);
}

/// @title SessionKeyUserOpAccount
/// @notice ERC-4337 v0.8 account whose only signer is a session key of the strategy it serves: a user op is valid
///         when it calls the account's hook entry point and carries the key's ECDSA signature over `userOpHash`.
/// @dev Validation checks every rule but the clock and returns `validUntil = expiry`, so the EntryPoint enforces it.
abstract contract SessionKeyUserOpAccount is IAccount, SessionKeyValidation {
    uint256 internal constant SIG_VALIDATION_FAILED = 1;

    IEntryPointDeposits public immutable entryPoint;

    error NotEntryPoint();

    modifier onlyEntryPoint() {
        if (msg.sender != address(entryPoint)) revert NotEntryPoint();
        _;
    }

    constructor(IVaultRegistry registry_, address entryPoint_) SessionKeyValidation(registry_) {
        if (entryPoint_ == address(0)) revert ZeroAddress();
        entryPoint = IEntryPointDeposits(entryPoint_);
    }

    /// @notice Accepts ETH (e.g. to pay a prefund from the balance).
    receive() external payable {}

    /// @inheritdoc IAccount
    function validateUserOp(PackedUserOperation calldata userOp, bytes32 userOpHash, uint256 missingAccountFunds)
        external
        onlyEntryPoint
        returns (uint256 validationData)
    {
        validationData = _validateSessionKeyOp(userOp, userOpHash);
        if (missingAccountFunds > 0) {
            // The EntryPoint checks the amount; a short payment fails the op there (AA21).
            (bool ok,) = payable(msg.sender).call{value: missingAccountFunds}("");
            ok;
        }
    }

    /// @notice This account's deposit at the EntryPoint (what user ops pay gas from).
    function getDeposit() external view returns (uint256) {
        return entryPoint.balanceOf(address(this));
    }

    /// @notice The next EntryPoint nonce of this account for nonce key 0.
    function getNonce() external view returns (uint256) {
        return entryPoint.getNonce(address(this), 0);
    }

    /// @notice Adds to this account's EntryPoint deposit.
    function addDeposit() external payable {
        entryPoint.depositTo{value: msg.value}(address(this));
    }

    /// @dev The strategy the op's call data targets, or `ok = false` when it is not the hook entry point.
    function _opStrategy(bytes calldata callData) internal view virtual returns (address strategy, bool ok);

    /// @dev A grant's value becomes this account's EntryPoint deposit: the account pays the key's user ops.
    function _fundKey(address, uint256 value) internal override {
        entryPoint.depositTo{value: value}(address(this));
    }

    function _validateSessionKeyOp(PackedUserOperation calldata userOp, bytes32 userOpHash)
        private
        view
        returns (uint256)
    {
        (address strategy, bool ok) = _opStrategy(userOp.callData);
        if (!ok) return SIG_VALIDATION_FAILED;
        // A paused vault's op is refused before it can execute (the vault itself is the account in EIP4337).
        if (_isPaused(strategy)) return SIG_VALIDATION_FAILED;
        (address key, ECDSA.RecoverError failure,) = ECDSA.tryRecoverCalldata(userOpHash, userOp.signature);
        if (failure != ECDSA.RecoverError.NoError) return SIG_VALIDATION_FAILED;
        if (_sessionKeyStatus(strategy, key, false) != STATUS_VALID) return SIG_VALIDATION_FAILED;
        uint256 validUntil = _keyExpiry(strategy, key);
        if (validUntil > type(uint48).max) validUntil = type(uint48).max;
        // validationData = authorizer (0: valid) | validUntil << 160 | validAfter (0) << 208.
        return validUntil << 160;
    }
}
