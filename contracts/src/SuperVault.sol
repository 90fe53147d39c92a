// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";
import {Execution, IHook} from "./interfaces/IHook.sol";
import {ISuperVault} from "./interfaces/ISuperVault.sol";
import {IVaultRegistry} from "./interfaces/IVaultRegistry.sol";

/// @title SuperVault
/// @notice ERC-4626 vault whose strategy is itself: it moves idle assets into yield sources by running
///         hooks, each proven against the hooks root the registry holds for this vault.
/// @dev Only the session-key executor may call {executeHooks}; the executor checks who holds a valid key.
contract SuperVault is ERC4626, ReentrancyGuard, ISuperVault {
    using EnumerableSet for EnumerableSet.AddressSet;

    /// @notice Sentinel amount meaning "the previous hook's output" (redeem A, then deposit all of it into B).
    uint256 public constant USE_PREVIOUS_OUTPUT = type(uint256).max;

    IVaultRegistry private immutable _registry;
    address private immutable _executor;
    /// @dev Yield-source share tokens this vault has received from hooks; valued in {totalAssets}.
    EnumerableSet.AddressSet private _sources;

    event HookExecuted(
        address indexed hook, bytes hookArgs, address tokenIn, address tokenOut, uint256 amountIn, uint256 amountOut
    );

    error NotExecutor();
    error LengthMismatch();
    error InvalidProof(uint256 index);
    error NoPreviousOutput(uint256 index);
    error SlippageExceeded(uint256 index, uint256 amountOut, uint256 minOutput);

    constructor(IERC20 asset_, string memory name_, string memory symbol_, IVaultRegistry registry_, address executor_)
        ERC20(name_, symbol_)
        ERC4626(asset_)
    {
        _registry = registry_;
        _executor = executor_;
    }

    /// @inheritdoc ISuperVault
    /// @dev For each i: the leaf keccak256(bytes.concat(keccak256(abi.encode(hooks[i], hookArgs[i])))) must be
    ///      in this vault's hooks root; output i is the vault's tokenOut balance delta and must reach minOutputs[i].
    function executeHooks(
        address[] calldata hooks,
        bytes[] calldata hookArgs,
        uint256[] calldata amounts,
        uint256[] calldata minOutputs,
        bytes32[][] calldata proofs
    ) external nonReentrant returns (uint256[] memory outputs) {
        if (msg.sender != _executor) revert NotExecutor();
        _checkLengths(hooks.length, hookArgs.length, amounts.length, minOutputs.length, proofs.length);
        bytes32 root = _registry.hooksRoot(address(this));
        outputs = new uint256[](hooks.length);
        for (uint256 i = 0; i < hooks.length; ++i) {
            _verify(hooks[i], hookArgs[i], proofs[i], root, i);
            uint256 out = _runHook(hooks[i], hookArgs[i], _amountFor(amounts[i], outputs, i));
            if (out < minOutputs[i]) revert SlippageExceeded(i, out, minOutputs[i]);
            outputs[i] = out;
        }
        _afterHooks(hooks, amounts, outputs);
    }

    /// @notice Idle asset balance, available for hooks and withdrawals.
    function freeAssets() public view returns (uint256) {
        return IERC20(asset()).balanceOf(address(this));
    }

    /// @notice Idle assets plus every yield-source position valued at its `convertToAssets`.
    function totalAssets() public view override returns (uint256 total) {
        total = freeAssets();
        uint256 count = _sources.length();
        for (uint256 i = 0; i < count; ++i) {
            IERC4626 source = IERC4626(_sources.at(i));
            total += source.convertToAssets(source.balanceOf(address(this)));
        }
    }

    /// @notice Every yield source this vault has entered, with its share balance and value in assets.
    function positions() external view returns (address[] memory sources, uint256[] memory shares, uint256[] memory assets) {
        sources = _sources.values();
        shares = new uint256[](sources.length);
        assets = new uint256[](sources.length);
        for (uint256 i = 0; i < sources.length; ++i) {
            shares[i] = IERC4626(sources[i]).balanceOf(address(this));
            assets[i] = IERC4626(sources[i]).convertToAssets(shares[i]);
        }
    }

    /// @dev Runs after every hook of a call succeeded; a vault that is its own smart account charges its budgets here.
    function _afterHooks(address[] calldata hooks, uint256[] calldata amounts, uint256[] memory outputs)
        internal
        virtual
    {}

    /// @notice The session-key executor, the only caller of {executeHooks}.
    function executor() external view returns (address) {
        return _executor;
    }

    /// @notice The registry holding this vault's roles and hooks root.
    function registry() external view returns (IVaultRegistry) {
        return _registry;
    }

    function _checkLengths(uint256 hooks, uint256 args, uint256 amounts, uint256 minOutputs, uint256 proofs)
        private
        pure
    {
        if (args != hooks || amounts != hooks || minOutputs != hooks || proofs != hooks) revert LengthMismatch();
    }

    function _verify(address hook, bytes calldata args, bytes32[] calldata proof, bytes32 root, uint256 index)
        private
        pure
    {
        // Double-hashed leaf, as OpenZeppelin's StandardMerkleTree builds it for types ["address","bytes"].
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(hook, args))));
        if (!MerkleProof.verify(proof, root, leaf)) revert InvalidProof(index);
    }

    function _amountFor(uint256 requested, uint256[] memory outputs, uint256 index) private pure returns (uint256) {
        if (requested != USE_PREVIOUS_OUTPUT) return requested;
        if (index == 0) revert NoPreviousOutput(index);
        return outputs[index - 1];
    }

    function _runHook(address hook, bytes calldata args, uint256 amount) private returns (uint256 amountOut) {
        (Execution[] memory executions, address tokenIn, address tokenOut) = IHook(hook).build(address(this), args, amount);
        uint256 balanceBefore = IERC20(tokenOut).balanceOf(address(this));
        for (uint256 j = 0; j < executions.length; ++j) {
            Address.functionCallWithValue(executions[j].target, executions[j].callData, executions[j].value);
        }
        amountOut = IERC20(tokenOut).balanceOf(address(this)) - balanceBefore;
        // Shares of anything but the vault's own asset are a position to value in totalAssets.
        if (tokenOut != asset()) _sources.add(tokenOut);
        emit HookExecuted(hook, args, tokenIn, tokenOut, amount, amountOut);
    }
}
