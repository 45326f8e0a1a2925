// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IPriceOracle
/// @notice The one price interface the clearinghouse reads. Prices are USD per whole unit of the
///         asset, 18 decimals (WAD), with the timestamp of the observation. A Chainlink-style feed
///         adapter implements it as well as the operator-posted oracle of the local chain.
interface IPriceOracle {
    /// @return priceWad USD per whole unit, 18 decimals; never zero.
    /// @return updatedAt unix seconds of the observation.
    function getPrice(bytes32 feedId) external view returns (uint256 priceWad, uint256 updatedAt);
}
