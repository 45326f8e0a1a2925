// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title A call forwarder, for the fork-simulation tests (never deployed by the protocol).
/// @notice Proposal calldata that reaches the clearinghouse through another contract: a decoder
///         that reads only direct calls sees `forward(target, data)` and cannot say what it does;
///         executing it on a fork can. Whoever holds a role the forwarder was granted acts through it.
contract Forwarder {
    /// @notice The forwarded call reverted; its revert data is passed on.
    error ForwardFailed(bytes reason);

    function forward(address target, bytes calldata data) external returns (bytes memory) {
        (bool ok, bytes memory result) = target.call(data);
        if (!ok) revert ForwardFailed(result);
        return result;
    }
}
