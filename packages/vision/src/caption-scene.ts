import { ConfigError, type Rng } from '@seqgen/core';

/** A kind of object a caption scene holds: a Fashion-MNIST class or an MNIST digit. */
export type SceneObjectKind = {
  /** The word captions use ("bag", "seven"). */
  name: string;
  /** Its plural ("bags", "sevens"). */
  plural: string;
  /** Which image set it is drawn from. */
  source: 'fashion' | 'digits';
  /** Its label in that set. */
  label: number;
};

/**
 * The ten object kinds of caption scenes: five Fashion-MNIST classes that
 * look unlike one another and five digits, so that every word names something
 * a 28×28 crop can show.
 */
export const SCENE_OBJECT_KINDS: readonly SceneObjectKind[] = Object.freeze([
  { name: 'dress', plural: 'dresses', source: 'fashion', label: 3 },
  { name: 'sandal', plural: 'sandals', source: 'fashion', label: 5 },
  { name: 'sneaker', plural: 'sneakers', source: 'fashion', label: 7 },
  { name: 'bag', plural: 'bags', source: 'fashion', label: 8 },
  { name: 'boot', plural: 'boots', source: 'fashion', label: 9 },
  { name: 'zero', plural: 'zeros', source: 'digits', label: 0 },
  { name: 'one', plural: 'ones', source: 'digits', label: 1 },
  { name: 'three', plural: 'threes', source: 'digits', label: 3 },
  { name: 'four', plural: 'fours', source: 'digits', label: 4 },
  { name: 'seven', plural: 'sevens', source: 'digits', label: 7 },
] satisfies SceneObjectKind[]);

/** Side of a scene's square grid cells, in pixels (one 28×28 source image per cell). */
export const SCENE_CELL_SIZE = 28;
/** Scenes are 2×2 grids of cells: 56×56 gray canvases. */
export const SCENE_SIZE = 2 * SCENE_CELL_SIZE;
/** Cell names by index (row-major): what single-object captions say. */
export const SCENE_CELLS: readonly string[] = Object.freeze(['top left', 'top right', 'bottom left', 'bottom right']);

/** One object of a scene: a kind (index into {@link SCENE_OBJECT_KINDS}) in a cell (0–3, row-major). */
export type SceneObject = {
  /** Index into {@link SCENE_OBJECT_KINDS}. */
  kind: number;
  /** Grid cell, 0–3 row-major (top left, top right, bottom left, bottom right). */
  cell: number;
};

/**
 * How a scene is laid out, which decides its captions: one object; two side
 * by side (`row`) or stacked (`column`); or a pair of one kind in a row or a
 * column with a third object of another kind across from it (`trio-row`,
 * `trio-column`).
 */
export type SceneLayout = 'single' | 'row' | 'column' | 'trio-row' | 'trio-column';

/** A scene's content: its layout and objects (for `row` / `column`, first the left / top one; for trios, the pair first). */
export type Scene = {
  /** How the objects are arranged (decides the captions). */
  layout: SceneLayout;
  /** The objects, in the layout's order. */
  objects: SceneObject[];
};

/** A (kind, cell) combination that training scenes never show. */
export type HeldOutCombination = {
  /** Index into {@link SCENE_OBJECT_KINDS}. */
  kind: number;
  /** Grid cell, 0–3 row-major. */
  cell: number;
};

/**
 * The combinations held out of training by default: each kind named here
 * appears in the other three cells during training, never in this one
 * (scenes with any of them form the held-out-combination split).
 */
export const DEFAULT_HELD_OUT: readonly HeldOutCombination[] = Object.freeze([
  { kind: 2, cell: 0 }, // sneaker, top left
  { kind: 3, cell: 3 }, // bag, bottom right
  { kind: 9, cell: 1 }, // seven, top right
  { kind: 7, cell: 2 }, // three, bottom left
]);

/** Which scenes {@link randomScene} may return with respect to the held-out combinations. */
export type SceneSplit = 'seen' | 'held-out';

/** Whether a scene shows any of the held-out combinations. */
export function showsHeldOut(scene: Scene, heldOut: readonly HeldOutCombination[] = DEFAULT_HELD_OUT): boolean {
  return scene.objects.some((o) => heldOut.some((h) => h.kind === o.kind && h.cell === o.cell));
}

/**
 * A seeded random scene: `seen` scenes show none of `heldOut`, `held-out`
 * scenes show at least one (rejection sampling, so the rest of the
 * distribution is the same).
 */
export function randomScene(
  rng: Rng,
  split: SceneSplit = 'seen',
  heldOut: readonly HeldOutCombination[] = DEFAULT_HELD_OUT,
): Scene {
  if (split !== 'seen' && split !== 'held-out') {
    throw new ConfigError('split', `must be "seen" or "held-out", got ${JSON.stringify(split)}`);
  }
  if (split === 'held-out' && heldOut.length === 0) {
    throw new ConfigError('heldOut', 'is empty: there is no held-out scene to draw');
  }
  for (let tries = 0; tries < 10_000; tries++) {
    const scene = anyScene(rng);
    if (showsHeldOut(scene, heldOut) === (split === 'held-out')) return scene;
  }
  throw new ConfigError('heldOut', 'holds out so many combinations that no scene of this split could be drawn');
}

/** Any scene, uniformly over layouts (30% single, 40% pairs, 30% trios), kinds and cells. */
function anyScene(rng: Rng): Scene {
  const kinds = SCENE_OBJECT_KINDS.length;
  const u = rng.float();
  const a = rng.int(kinds);
  if (u < 0.3) return { layout: 'single', objects: [{ kind: a, cell: rng.int(4) }] };
  // Pairs may be two of one kind ("two bags side by side"), one time in four.
  const b = rng.float() < 0.25 ? a : otherKind(rng, a);
  const line = rng.int(2);
  if (u < 0.5) {
    return {
      layout: 'row',
      objects: [
        { kind: a, cell: 2 * line },
        { kind: b, cell: 2 * line + 1 },
      ],
    };
  }
  if (u < 0.7) {
    return {
      layout: 'column',
      objects: [
        { kind: a, cell: line },
        { kind: b, cell: line + 2 },
      ],
    };
  }
  const c = otherKind(rng, a);
  const across = rng.int(2);
  if (u < 0.85) {
    // The pair fills row `line`; the third object sits in one cell of the other row.
    const pair = [2 * line, 2 * line + 1];
    return {
      layout: 'trio-row',
      objects: [...pair.map((cell) => ({ kind: a, cell })), { kind: c, cell: 2 * (1 - line) + across }],
    };
  }
  const pair = [line, line + 2];
  return {
    layout: 'trio-column',
    objects: [...pair.map((cell) => ({ kind: a, cell })), { kind: c, cell: 1 - line + 2 * across }],
  };
}

function otherKind(rng: Rng, not: number): number {
  const k = rng.int(SCENE_OBJECT_KINDS.length - 1);
  return k >= not ? k + 1 : k;
}
