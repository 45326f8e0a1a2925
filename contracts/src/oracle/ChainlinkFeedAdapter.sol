// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IPriceOracle} from "./IPriceOracle.sol";

/// @notice The subset of Chainlink's AggregatorV3Interface the adapter reads.
interface IAggregatorV3 {
    function decimals() external view returns (uint8);
    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound);
}

/// @title ChainlinkFeedAdapter
/// @notice Serves IPriceOracle from Chainlink-style aggregators: one aggregator per feed id, its
///         answer scaled to 18 decimals. Staleness is judged by the clearinghouse (per-market
///         oracle max age) from the returned `updatedAt`.
contract ChainlinkFeedAdapter is IPriceOracle, Ownable {
    /// @notice The aggregator serving each feed id.
    mapping(bytes32 feedId => IAggregatorV3) public aggregators;

    /// @notice Emitted when a feed's aggregator changes.
    event AggregatorSet(bytes32 indexed feedId, address aggregator);

    /// @notice No aggregator is set for the feed.
    error UnknownFeed(bytes32 feedId);
    /// @notice The aggregator's answer is zero or negative.
    error InvalidAnswer(bytes32 feedId, int256 answer);

    constructor(address owner_) Ownable(owner_) {}

    /// @notice Serves `feedId` from `aggregator` (zero address: unknown feed again). Owner only.
    function setAggregator(bytes32 feedId, IAggregatorV3 aggregator) external onlyOwner {
        aggregators[feedId] = aggregator;
        emit AggregatorSet(feedId, address(aggregator));
    }

    /// @inheritdoc IPriceOracle
    function getPrice(bytes32 feedId) external view returns (uint256 priceWad, uint256 updatedAt) {
        IAggregatorV3 aggregator = aggregators[feedId];
        if (address(aggregator) == address(0)) revert UnknownFeed(feedId);
        (, int256 answer,, uint256 updated,) = aggregator.latestRoundData();
        if (answer <= 0) revert InvalidAnswer(feedId, answer);
        uint8 decimals = aggregator.decimals();
        priceWad = decimals <= 18
            ? uint256(answer) * 10 ** (18 - decimals)
            : uint256(answer) / 10 ** (decimals - 18);
        return (priceWad, updated);
    }
}
