"""Small-number suppression for published tables (the governors' report, the equality
monitoring): pure Python, no Odoo.

A report is a set of cells (counts of people) and of linear relations between them (a total
is the sum of its members, within a table or across tables). Primary suppression hides every
cell that counts fewer people than the threshold (and more than none). Secondary suppression
then hides further cells until no hidden cell can be worked out exactly from the published
ones through any combination of the relations: a hidden cell is derivable exactly when its
unit vector lies in the row space of the relations restricted to the hidden cells, which the
reduced row echelon form of that system shows (a row with a single non-zero entry).
"""

from fractions import Fraction


def _rref(rows, variables):
    """Reduced row echelon form of ``rows`` (dicts variable -> coefficient) over the ordered
    ``variables``; returns the non-zero rows."""
    matrix = [[Fraction(row.get(var, 0)) for var in variables] for row in rows]
    pivot_row = 0
    for col in range(len(variables)):
        pivot = next((r for r in range(pivot_row, len(matrix)) if matrix[r][col] != 0), None)
        if pivot is None:
            continue
        matrix[pivot_row], matrix[pivot] = matrix[pivot], matrix[pivot_row]
        lead = matrix[pivot_row][col]
        matrix[pivot_row] = [value / lead for value in matrix[pivot_row]]
        for r in range(len(matrix)):
            if r != pivot_row and matrix[r][col] != 0:
                factor = matrix[r][col]
                matrix[r] = [
                    a - factor * b for a, b in zip(matrix[r], matrix[pivot_row], strict=True)
                ]
        pivot_row += 1
        if pivot_row == len(matrix):
            break
    return [row for row in matrix if any(value != 0 for value in row)]


def derivable(hidden, relations):
    """The hidden cells whose value follows exactly from the published cells and the
    relations. ``relations`` are ``(total, members)`` pairs: total = sum(members)."""
    variables = sorted(hidden, key=repr)
    rows = []
    for total, members in relations:
        row = {}
        for key, coefficient in [(total, 1), *((member, -1) for member in members)]:
            if key in hidden:
                row[key] = row.get(key, 0) + coefficient
        if any(row.values()):
            rows.append(row)
    found = set()
    for row in _rref(rows, variables):
        nonzero = [index for index, value in enumerate(row) if value != 0]
        if len(nonzero) == 1:
            found.add(variables[nonzero[0]])
    return found


def suppress(cells, relations, threshold):
    """The keys of ``cells`` (key -> count) to hide so that no count of 1 to
    ``threshold - 1`` people is published or can be derived through ``relations``."""
    hidden = {key for key, value in cells.items() if 0 < value < threshold}
    while True:
        exposed = derivable(hidden, relations)
        if not exposed:
            return hidden
        # Hide one more cell of a relation an exposed cell is in: first in a relation with a
        # single hidden cell (an exposure by subtraction), the smallest published member
        # that counts someone, else a total, else any published cell.
        candidates = []
        for total, members in relations:
            keys = [total, *members]
            if not exposed.intersection(keys):
                continue
            single = sum(1 for key in keys if key in hidden) == 1
            for key in keys:
                if key not in hidden:
                    candidates.append(
                        (not single, cells[key] == 0, key == total, cells[key], repr(key), key)
                    )
        if not candidates:
            # Cannot happen: a derivable cell is in a relation with a published cell.
            raise ValueError("suppression found no cell to hide")
        hidden.add(min(candidates)[-1])
