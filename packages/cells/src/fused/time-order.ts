/** Positions visited by a recurrence over `steps` steps, forwards or backwards. */
export function timeOrder(steps: number, reverse: boolean): number[] {
  const order = Array.from({ length: steps }, (_, t) => t);
  return reverse ? order.reverse() : order;
}
