// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IAggregatorV3} from "./ChainlinkFeedAdapter.sol";

/// @title TestAggregator
/// @notice A Chainlink AggregatorV3-style feed whose owner posts answers, with any number of
///         decimals: lets ChainlinkFeedAdapter run on a local chain or in tests. Never used as a
///         price source on a network with real collateral.
contract TestAggregator is IAggregatorV3, Ownable {
    uint8 public immutable decimals;
    uint80 private _roundId;
    int256 private _answer;
    uint256 private _updatedAt;

    /// @notice Emitted for every posted answer.
    event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt);

    constructor(uint8 decimals_, address owner_) Ownable(owner_) {
        decimals = decimals_;
    }

    /// @notice Posts `answer` (in this feed's decimals; zero or negative allowed, to test
    ///         consumers' rejection) stamped `updatedAt` (0 = the current block's timestamp).
    function setAnswer(int256 answer, uint256 updatedAt) external onlyOwner {
        _answer = answer;
        _updatedAt = updatedAt == 0 ? block.timestamp : updatedAt;
        ++_roundId;
        emit AnswerUpdated(answer, _roundId, _updatedAt);
    }

    /// @notice The latest round, Chainlink-shaped.
    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        return (_roundId, _answer, _updatedAt, _updatedAt, _roundId);
    }
}
