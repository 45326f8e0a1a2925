// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IPriceOracle} from "./IPriceOracle.sol";

/// @title PriceOracle
/// @notice Prices posted by an operator (a price-feed service on a local chain or a testnet).
///         The owner (the timelock after deployment) chooses the operator.
contract PriceOracle is IPriceOracle, Ownable {
    struct Observation {
        uint256 priceWad;
        uint256 updatedAt;
    }

    /// @notice The only address that may post prices.
    address public operator;
    mapping(bytes32 feedId => Observation) private _observations;

    /// @notice Emitted when the owner chooses another operator.
    event OperatorChanged(address indexed previousOperator, address indexed newOperator);
    /// @notice Emitted for every posted price.
    event PriceUpdated(bytes32 indexed feedId, uint256 priceWad, uint256 updatedAt);

    /// @notice A price was posted by someone other than the operator.
    error NotOperator(address caller);
    /// @notice No price was ever posted for the feed.
    error UnknownFeed(bytes32 feedId);
    /// @notice A price of zero was posted.
    error InvalidPrice(bytes32 feedId, uint256 priceWad);
    /// @notice `setPrices` got arrays of different lengths.
    error LengthMismatch(uint256 feeds, uint256 prices);

    constructor(address owner_, address operator_) Ownable(owner_) {
        operator = operator_;
        emit OperatorChanged(address(0), operator_);
    }

    /// @notice Chooses who may post prices.
    function setOperator(address newOperator) external onlyOwner {
        emit OperatorChanged(operator, newOperator);
        operator = newOperator;
    }

    /// @notice Posts one price, stamped with the current block's timestamp.
    function setPrice(bytes32 feedId, uint256 priceWad) public {
        if (msg.sender != operator) revert NotOperator(msg.sender);
        if (priceWad == 0) revert InvalidPrice(feedId, priceWad);
        _observations[feedId] = Observation(priceWad, block.timestamp);
        emit PriceUpdated(feedId, priceWad, block.timestamp);
    }

    /// @notice Posts several prices in one transaction.
    function setPrices(bytes32[] calldata feedIds, uint256[] calldata pricesWad) external {
        if (feedIds.length != pricesWad.length) revert LengthMismatch(feedIds.length, pricesWad.length);
        for (uint256 i; i < feedIds.length; ++i) setPrice(feedIds[i], pricesWad[i]);
    }

    /// @inheritdoc IPriceOracle
    function getPrice(bytes32 feedId) external view returns (uint256 priceWad, uint256 updatedAt) {
        Observation memory o = _observations[feedId];
        if (o.priceWad == 0) revert UnknownFeed(feedId);
        return (o.priceWad, o.updatedAt);
    }
}
