import { cellsToHide } from '../../api/http/public-stats';

describe('small-count suppression', () => {
  it('when one cell of a group is 5 or fewer, then it and the next smallest are hidden', () => {
    expect([...cellsToHide([7, 6, 1])].sort()).toEqual([1, 2]);
  });
  it('when two or more cells are small, then only those are hidden: neither can be recovered alone', () => {
    expect([...cellsToHide([40, 3, 2])].sort()).toEqual([1, 2]);
  });
  it('when no cell is small, then nothing is hidden; empty cells are not counts to protect', () => {
    expect(cellsToHide([6, 100, 0]).size).toBe(0);
  });
  it('when the only cell is small, then it is hidden', () => {
    expect([...cellsToHide([5])]).toEqual([0]);
  });
});
