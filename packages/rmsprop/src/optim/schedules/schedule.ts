/**
 * A learning-rate schedule: the learning rate for an optimizer step, given how many steps came before
 * (0 for the first). Each one below gives the sequence PyTorch's scheduler of the same name gives when
 * `scheduler.step()` is called once per optimizer step.
 */
export type Schedule = (step: number) => number;
