// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title BackstopTimelock
/// @notice OpenZeppelin's TimelockController, named for this deployment: the only holder of the
///         clearinghouse's GOVERNANCE_ROLE. Proposer and canceller: the governor.
contract BackstopTimelock is TimelockController {
    constructor(uint256 minDelay, address[] memory proposers, address[] memory executors, address admin)
        TimelockController(minDelay, proposers, executors, admin)
    {}
}
