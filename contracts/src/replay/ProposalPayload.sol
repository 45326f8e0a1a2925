// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Proxy} from "@openzeppelin/contracts/proxy/Proxy.sol";
import {ERC1967Utils} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Utils.sol";

/// @title Contracts of the `tornado-2023` incident replay (never deployed by the protocol).
/// @notice In May 2023 an attacker had Tornado Cash governance approve a proposal whose target
///         looked like an earlier, harmless one, then replaced the target's code before it was
///         executed (SELFDESTRUCT + CREATE2 at the same address). Since Cancun (EIP-6780) that
///         trick only works within one transaction; the same effect today is an upgradeable
///         proxy whose admin swaps the implementation between the vote and the execution,
///         which is what these contracts stage.

/// @notice The payload the voters read: it only records that it ran.
contract HarmlessPayload {
    event PayloadRan(string what);

    function run() external {
        emit PayloadRan("harmless");
    }
}

/// @notice The implementation swapped in after the vote: same function, other effect.
contract MaliciousPayload {
    event PayloadRan(string what);

    /// @dev Storage slot 0 of the proxy, written to show that the swapped code ran with the
    ///      proxy's state and the timelock's authority (a real attack would mint votes or move
    ///      funds here). The caller, not tx.origin: whoever sends the execution is not known when
    ///      the proposal is simulated, the timelock is.
    address public beneficiary;

    function run() external {
        beneficiary = msg.sender;
        emit PayloadRan("malicious");
    }
}

/// @notice The target of the proposal: an EIP-1967 transparent proxy. Its admin (the attacker)
///         calls `upgradeTo(address)` to swap the implementation; every other caller is forwarded.
contract PayloadProxy is Proxy {
    /// @notice The admin called something other than `upgradeTo(address)`.
    error AdminCannotCall(bytes4 selector);

    constructor(address implementation, address admin) {
        ERC1967Utils.upgradeToAndCall(implementation, "");
        ERC1967Utils.changeAdmin(admin);
    }

    function _implementation() internal view override returns (address) {
        return ERC1967Utils.getImplementation();
    }

    function _fallback() internal override {
        if (msg.sender == ERC1967Utils.getAdmin()) {
            if (msg.sig != bytes4(keccak256("upgradeTo(address)"))) revert AdminCannotCall(msg.sig);
            ERC1967Utils.upgradeToAndCall(abi.decode(msg.data[4:], (address)), "");
        } else {
            super._fallback();
        }
    }

    receive() external payable {}
}
