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

    address public operator;
    mapping(bytes32 feedId => Observation) private _observations;

    event OperatorChanged(address indexed previousOperator, address indexed newOperator);
    event PriceUpdated(bytes32 indexed feedId, uint256 priceWad, uint256 updatedAt);

    error NotOperator(address caller);
    error UnknownFeed(bytes32 feedId);
    error InvalidPrice(bytes32 feedId, uint256 priceWad);
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
