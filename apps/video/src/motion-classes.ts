import type { MovingMnistInfo } from '@seqgen/video';

/**
 * The motion classes `classify` tells apart in one-digit clips: the digit's
 * starting direction (which way along x, which way along y; y grows
 * downwards) and whether it bounced off an edge during the clip. Averaging
 * the frames loses both the direction and, mostly, the bounce: only the
 * order of the frames shows them.
 */
export const MOTION_CLASSES = [
  'right-down straight',
  'left-down straight',
  'left-up straight',
  'right-up straight',
  'right-down bounce',
  'left-down bounce',
  'left-up bounce',
  'right-up bounce',
] as const;

/** The {@link MOTION_CLASSES} index of a generated one-digit clip, from its positions and bounces. */
export function motionClass(info: MovingMnistInfo): number {
  const [x0, y0] = info.positions[0]?.[0] ?? [0, 0];
  const [x1, y1] = info.positions[1]?.[0] ?? [0, 0];
  const right = x1 >= x0;
  const down = y1 >= y0;
  const quadrant = right ? (down ? 0 : 3) : down ? 1 : 2;
  return quadrant + (info.bounces.length > 0 ? 4 : 0);
}
