import { describe, expect, it } from "vitest";
import { DeploymentError, deploymentContractNames, parseDeployment } from "./deployment.ts";

const address = (i: number) => `0x${i.toString(16).padStart(40, "0")}`;
const valid = { chainId: 31337, deployBlock: 1, contracts: Object.fromEntries(deploymentContractNames.map((n, i) => [n, address(i + 1)])) };

describe("parseDeployment", () => {
  it("accepts a complete deployment and keeps only the known contracts", () => {
    const parsed = parseDeployment({ ...valid, contracts: { ...valid.contracts, extra: address(99) } });
    expect(parsed).toEqual(valid);
  });

  const cases: { name: string; json: unknown; message: string }[] = [
    { name: "something that is not an object", json: 42, message: "not a JSON object" },
    { name: "a chain id of zero", json: { ...valid, chainId: 0 }, message: "chainId must be a positive integer" },
    { name: "a chain id as a string", json: { ...valid, chainId: "31337" }, message: "chainId must be a positive integer" },
    { name: "a negative deploy block", json: { ...valid, deployBlock: -1 }, message: "deployBlock must be a block number" },
    { name: "no contracts", json: { chainId: 1, deployBlock: 0 }, message: "contracts is missing" },
    { name: "a missing contract", json: { ...valid, contracts: { ...valid.contracts, lens: undefined } }, message: "contracts.lens is missing" },
    { name: "a malformed address", json: { ...valid, contracts: { ...valid.contracts, governor: "0x1234" } }, message: "contracts.governor is not an address (0x1234)" },
  ];
  for (const c of cases) {
    it(`refuses ${c.name}, naming the field`, () => {
      expect(() => parseDeployment(c.json, "deployments/31337.json")).toThrow(DeploymentError);
      expect(() => parseDeployment(c.json, "deployments/31337.json")).toThrow(`deployments/31337.json: ${c.message}`);
    });
  }
});
