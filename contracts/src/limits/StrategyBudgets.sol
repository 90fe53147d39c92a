// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title StrategyBudgets
/// @notice Per-strategy, per-hook spending limits for automation: at most `maxAmount` of the hook's input token and
///         at most `maxExecutions` hook calls per `period` seconds. A fixed window starts at the first use after the
///         previous one ended (so all of it may be spent at the end of one window and again at the start of the next);
///         a rolling window refills continuously (`maxAmount / period` per second), so in any span of `d` seconds at
///         most `maxAmount * (1 + d / period)` moves: spending at a window's edge never doubles it.
/// @dev Abstract so every executing contract shares one rule: it is inherited through {SessionKeyValidation} by the
///      OMS-mode executor and the three smart-account modes.
///      The inheriting contract decides who may set a budget ({_authorizeBudgetChange}) and calls {_spendBudget} once
///      per hook call with the amount that call really used. A budget with `period == 0` is no budget (unlimited);
///      `maxAmount == 0` or `maxExecutions == 0` leaves that one dimension unlimited.
abstract contract StrategyBudgets {
    struct Budget {
        uint128 maxAmount;
        uint32 maxExecutions;
        uint32 period;
        bool rolling;
    }

    struct Usage {
        uint128 amount;
        /// @dev Executions scaled by {_EXEC_SCALE} so a rolling window refills them smoothly.
        uint96 executions;
        /// @dev Fixed window: when the current window started. Rolling: when `amount`/`executions` were last decayed.
        uint32 since;
    }

    uint256 private constant _EXEC_SCALE = 1e18;
    uint32 public constant MAX_BUDGET_PERIOD = 366 days;

    mapping(address strategy => mapping(address hook => Budget)) private _budgets;
    mapping(address strategy => mapping(address hook => Usage)) private _usage;

    event BudgetSet(
        address indexed strategy,
        address indexed hook,
        uint128 maxAmount,
        uint32 maxExecutions,
        uint32 period,
        bool rolling,
        address indexed by
    );
    event BudgetSpent(address indexed strategy, address indexed hook, uint256 amount, uint128 usedAmount, uint32 usedExecutions);

    /// @notice `amount` more of `hook` on `strategy` would exceed its budget; it refills from `refillAt`.
    error BudgetExceeded(address strategy, address hook, uint256 amount, uint256 remainingAmount, uint256 remainingExecutions, uint256 refillAt);
    error InvalidBudgetPeriod(uint32 period);

    /// @notice Sets (or with `period == 0` removes) the budget of `hook` on `strategy`. Usage so far is kept.
    function setBudget(address strategy, address hook, uint128 maxAmount, uint32 maxExecutions, uint32 period, bool rolling)
        external
    {
        _authorizeBudgetChange(strategy);
        if (period > MAX_BUDGET_PERIOD) revert InvalidBudgetPeriod(period);
        _budgets[strategy][hook] = Budget(maxAmount, maxExecutions, period, rolling);
        emit BudgetSet(strategy, hook, maxAmount, maxExecutions, period, rolling, msg.sender);
    }

    /// @notice The budget of `hook` on `strategy` (all zero when none).
    function getBudget(address strategy, address hook)
        external
        view
        returns (uint128 maxAmount, uint32 maxExecutions, uint32 period, bool rolling)
    {
        Budget memory budget = _budgets[strategy][hook];
        return (budget.maxAmount, budget.maxExecutions, budget.period, budget.rolling);
    }

    /// @notice Use and what is left right now. `refillAt` is when the budget is whole again (0 when nothing is used
    ///         or there is no budget); remaining values are `type(uint256).max` for an unlimited dimension.
    function budgetState(address strategy, address hook)
        public
        view
        returns (uint256 usedAmount, uint256 usedExecutions, uint256 remainingAmount, uint256 remainingExecutions, uint256 refillAt)
    {
        Budget memory budget = _budgets[strategy][hook];
        if (budget.period == 0) return (0, 0, type(uint256).max, type(uint256).max, 0);
        Usage memory usage = _current(budget, _usage[strategy][hook]);
        usedAmount = usage.amount;
        usedExecutions = _ceilDiv(usage.executions, _EXEC_SCALE);
        remainingAmount = budget.maxAmount == 0 ? type(uint256).max : _sub0(budget.maxAmount, usedAmount);
        remainingExecutions = budget.maxExecutions == 0 ? type(uint256).max : _sub0(budget.maxExecutions, usedExecutions);
        refillAt = _refillAt(budget, usage);
    }

    /// @dev Who may change budgets of `strategy`; revert when `msg.sender` may not.
    function _authorizeBudgetChange(address strategy) internal view virtual;

    /// @dev Charges one execution of `hook` that used `amount`; reverts {BudgetExceeded} when over either limit.
    function _spendBudget(address strategy, address hook, uint256 amount) internal {
        Budget memory budget = _budgets[strategy][hook];
        if (budget.period == 0) return;
        Usage memory usage = _current(budget, _usage[strategy][hook]);
        uint256 newAmount = uint256(usage.amount) + amount;
        uint256 newExecutions = uint256(usage.executions) + _EXEC_SCALE;
        bool overAmount = budget.maxAmount != 0 && newAmount > budget.maxAmount;
        bool overExecutions = budget.maxExecutions != 0 && newExecutions > uint256(budget.maxExecutions) * _EXEC_SCALE;
        if (overAmount || overExecutions) {
            (,, uint256 remainingAmount, uint256 remainingExecutions, uint256 refillAt) = budgetState(strategy, hook);
            revert BudgetExceeded(strategy, hook, amount, remainingAmount, remainingExecutions, refillAt);
        }
        // Unlimited dimensions still count, saturating, so the views stay meaningful.
        usage.amount = newAmount > type(uint128).max ? type(uint128).max : uint128(newAmount);
        usage.executions = newExecutions > type(uint96).max ? type(uint96).max : uint96(newExecutions);
        _usage[strategy][hook] = usage;
        emit BudgetSpent(strategy, hook, amount, usage.amount, uint32(_ceilDiv(usage.executions, _EXEC_SCALE)));
    }

    /// @dev Usage as of now: a fixed window that ended starts over; a rolling one decays by the time passed.
    function _current(Budget memory budget, Usage memory usage) private view returns (Usage memory) {
        uint256 nowTs = block.timestamp;
        if (!budget.rolling) {
            if (usage.since == 0 || nowTs >= uint256(usage.since) + budget.period) return Usage(0, 0, uint32(nowTs));
            return usage;
        }
        uint256 elapsed = nowTs - usage.since;
        uint256 amountBack = budget.maxAmount == 0 ? usage.amount : elapsed * budget.maxAmount / budget.period;
        uint256 execBack = budget.maxExecutions == 0
            ? usage.executions
            : elapsed * budget.maxExecutions * _EXEC_SCALE / budget.period;
        return Usage(uint128(_sub0(usage.amount, amountBack)), uint96(_sub0(usage.executions, execBack)), uint32(nowTs));
    }

    function _refillAt(Budget memory budget, Usage memory usage) private pure returns (uint256) {
        if (usage.amount == 0 && usage.executions == 0) return 0;
        if (!budget.rolling) return uint256(usage.since) + budget.period;
        uint256 amountTime = budget.maxAmount == 0 ? 0 : _ceilDiv(uint256(usage.amount) * budget.period, budget.maxAmount);
        uint256 execTime = budget.maxExecutions == 0
            ? 0
            : _ceilDiv(uint256(usage.executions) * budget.period, uint256(budget.maxExecutions) * _EXEC_SCALE);
        return uint256(usage.since) + (amountTime > execTime ? amountTime : execTime);
    }

    function _sub0(uint256 a, uint256 b) private pure returns (uint256) {
        return a > b ? a - b : 0;
    }

    function _ceilDiv(uint256 a, uint256 b) private pure returns (uint256) {
        return a == 0 ? 0 : (a - 1) / b + 1;
    }
}
