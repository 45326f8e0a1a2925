/**
 * The two engine runs the pages start, written once for both places they run: a browser Web
 * Worker (components/governance/preview.worker, components/stress/cascade.worker) for a venue
 * small enough to send the browser, and the server's engine pool (lib/server/enginePool) for a
 * bigger one. The same code on the same snapshot gives the same answer either way.
 */

import { applyChanges, previewBand, previewChanges, simulateCascade, type CascadeParameters, type CascadeResult, type ChangeIssue, type ParamChange, type PreviewBand, type PreviewBandOptions, type ProposalPreview, type ProtocolSnapshot } from "../../engine/index.ts";

/** The execution window a preview is banded over (engine/preview/previewBand), when the page knows it. */
export type PreviewWindow = Pick<PreviewBandOptions, "process" | "horizonSec">;

/** A preview as the builder shows it: the diff without the changed snapshot, and the band when a window was given. */
export type BuilderPreview = Omit<ProposalPreview, "after"> & { band?: PreviewBand };

/**
 * previewChanges of `changes` on `snapshot`, without `after` (a whole snapshot the page never
 * shows), and previewBand across `window` (seed 1) when given.
 */
export function runPreview(snapshot: ProtocolSnapshot, changes: ParamChange[], window?: PreviewWindow): BuilderPreview {
  const { after, ...preview } = previewChanges(snapshot, changes);
  const band = window ? previewBand(snapshot, after, { ...window, seed: 1 }) : undefined;
  return { ...preview, band };
}

/** A stress run: parameter sets to compare (each a list of changes), one price path, impact and keeper. */
export interface CascadeRun {
  variants: { label: string; changes: ParamChange[] }[];
  path: number[][];
  impact: CascadeParameters["impact"];
  keeper: NonNullable<CascadeParameters["keeper"]>;
}

/** One parameter set's cascade: its changes' issues and the outcome, without the final state. */
export type VariantResult = Omit<CascadeResult, "final"> & { label: string; issues: ChangeIssue[] };

/**
 * simulateCascade of `run.path` once per variant (its changes applied to `base`), in order;
 * `onProgress(done, total)` after every step of every variant, total = variants × steps.
 */
export function runCascadeVariants(base: ProtocolSnapshot, run: CascadeRun, onProgress: (done: number, total: number) => void = () => {}): VariantResult[] {
  const { variants, path, impact, keeper } = run;
  const total = variants.length * path.length;
  return variants.map((variant, v) => {
    const { snapshot, issues } = applyChanges(base, variant.changes);
    // Not the final state: it would be rebuilt only to be thrown away.
    const { steps, totals, amplification } = simulateCascade({ snapshot, path, impact, keeper, onStep: (step) => onProgress(v * path.length + step + 1, total) });
    return { label: variant.label, issues, steps, totals, amplification };
  });
}
