"""Small-number suppression for published tables (the governors' report, the equality
monitoring): pure Python, no Odoo.

A report is a set of cells (counts of people) and of linear relations between them (a total
is the sum of its members, within a table, across tables, or across reports: a trust's
figure is the sum of its schools'). Primary suppression hides every cell that counts fewer
people than the threshold (and more than none). Secondary suppression then hides further
cells until no hidden cell can be worked out exactly from the published ones through any
combination of the relations: a hidden cell is derivable exactly when its unit vector lies
in the row space of the relations restricted to the hidden cells, which the reduced row
echelon form of that system shows (a row with a single non-zero entry).

Some cells are never published (``unpublished``: the records a trust keeps at its own
level, outside every school, which only the trust's total includes). They are unknowns of
the system like hidden cells, and protected the same way when they count 1 to
``threshold - 1`` people.
"""

import math
from collections import defaultdict
from fractions import Fraction


def _equations(hidden, relations):
    """The relations restricted to the hidden cells (the published ones are constants):
    dicts cell -> coefficient, without the empty ones."""
    rows = []
    for total, members in relations:
        row = defaultdict(int)
        for key, coefficient in [(total, 1), *((member, -1) for member in members)]:
            if key in hidden:
                row[key] += coefficient
        row = {key: value for key, value in row.items() if value}
        if row:
            rows.append(row)
    return rows


def _components(rows):
    """The equations grouped by the cells they share (independent systems)."""
    parent = {}

    def find(key):
        root = key
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[key] != root:
            parent[key], key = root, parent[key]
        return root

    for row in rows:
        first, *others = row
        for key in others:
            parent[find(key)] = find(first)
    groups = defaultdict(list)
    for row in rows:
        groups[find(next(iter(row)))].append(row)
    return list(groups.values())


def _divide(value, lead):
    if isinstance(value, int) and isinstance(lead, int) and not value % lead:
        return value // lead
    return Fraction(value) / lead


def _determined(rows):
    """The cells whose value the equations ``rows`` fix: kept in reduced row echelon form
    (each pivot row holds its pivot with coefficient 1 and no other pivot), a cell is
    fixed when its pivot row holds nothing else."""
    pivots = {}  # pivot cell -> row
    holders = defaultdict(set)  # cell -> pivot cells whose row holds it
    for equation in rows:
        # Integers while they divide exactly (totals make most systems unimodular),
        # fractions where they do not: exact either way.
        row = dict(equation)
        for pivot in [key for key in row if key in pivots]:
            factor = row.get(pivot)
            if not factor:
                continue
            for key, value in pivots[pivot].items():
                row[key] = row.get(key, 0) - factor * value
                if not row[key]:
                    del row[key]
        if not row:
            continue
        pivot = min(row, key=repr)
        lead = row[pivot]
        row = {key: _divide(value, lead) for key, value in row.items()}
        # Keep the form reduced: no other pivot row holds the new pivot.
        for other in list(holders.get(pivot, ())):
            other_row = pivots[other]
            factor = other_row[pivot]
            for key, value in row.items():
                new = other_row.get(key, 0) - factor * value
                if new:
                    if key not in other_row:
                        holders[key].add(other)
                    other_row[key] = new
                else:
                    other_row.pop(key, None)
                    holders[key].discard(other)
        holders.pop(pivot, None)
        pivots[pivot] = row
        for key in row:
            if key != pivot:
                holders[key].add(pivot)
    return {pivot for pivot, row in pivots.items() if len(row) == 1}


def derivable(hidden, relations, cache=None):
    """The hidden cells whose value follows exactly from the published cells and the
    relations. ``relations`` are ``(total, members)`` pairs: total = sum(members).
    ``cache`` (a dict kept between calls) keeps the result of each independent system, so
    that hiding one more cell solves again only the system it is in."""
    found = set()
    for rows in _components(_equations(hidden, relations)):
        if cache is None:
            found |= _determined(rows)
            continue
        signature = frozenset(frozenset(row.items()) for row in rows)
        if signature not in cache:
            cache[signature] = _determined(rows)
        found |= cache[signature]
    return found


def pinned(hidden, relations, cells, rounds=100):
    """The hidden cells a reader can pin to one value through the relations and the fact
    that no count is negative, though no linear combination gives it: interval
    propagation (each hidden cell starts between 0 and infinity; each relation bounds each
    of its hidden cells by the bounds of the others) until nothing narrows. ``cells``
    gives the published values."""
    equations = []
    for total, members in relations:
        row = defaultdict(int)
        for key, coefficient in [(total, 1), *((member, -1) for member in members)]:
            row[key] += coefficient
        equations.append({key: value for key, value in row.items() if value})
    low = dict.fromkeys(hidden, 0)
    high = dict.fromkeys(hidden, math.inf)

    def bounds(key):
        if key in hidden:
            return low[key], high[key]
        return cells[key], cells[key]

    for __ in range(rounds):
        narrowed = False
        for row in equations:
            unknown = [key for key in row if key in hidden]
            if not unknown:
                continue
            # sum(c * x) = 0: each hidden x lies within -(sum of the others' c * x) / c.
            terms = {key: sorted(c * b for b in bounds(key)) for key, c in row.items()}
            for key in unknown:
                c = row[key]
                others = [term for other, term in terms.items() if other != key]
                rest_least = sum(term[0] for term in others)
                rest_most = sum(term[1] for term in others)
                if math.isinf(rest_least) and math.isinf(rest_most):
                    continue
                ends = sorted((-rest_most / c, -rest_least / c))
                new_low = max(low[key], math.ceil(ends[0]) if not math.isinf(ends[0]) else 0)
                new_high = min(
                    high[key], math.floor(ends[1]) if not math.isinf(ends[1]) else math.inf
                )
                if (new_low, new_high) != (low[key], high[key]):
                    low[key], high[key] = new_low, new_high
                    narrowed = True
        if not narrowed:
            break
    return {key for key in hidden if low[key] == high[key]}


def _same_people(cells, relations):
    """For each cell, the cells that count the same people (a total of a single member: a
    trust's figure where one school has that group, the moderation total and the
    outcomes total of a job group)."""
    same = {}

    def group(key):
        while same.get(key, key) != key:
            key = same[key]
        return key

    for total, members in relations:
        if len(members) == 1 and total in cells and members[0] in cells:
            same[group(total)] = group(members[0])
    aliases = defaultdict(set)
    for key in same:
        aliases[group(key)].update((key, group(key)))
    return {key: keys for keys in aliases.values() for key in keys}


def _next_to_hide(cells, relations, hidden, exposed):
    """One more cell of a relation an exposed cell is in: first in a relation with a
    single hidden cell (an exposure by subtraction), the smallest published member that
    counts someone, else a total, else any published cell."""
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
        # Cannot happen: an exposed cell is in a relation with a published cell.
        raise ValueError("suppression found no cell to hide")
    return min(candidates)[-1]


def suppress(cells, relations, threshold, unpublished=()):
    """The keys of ``cells`` (key -> count) to hide so that no count of 1 to
    ``threshold - 1`` people is published or can be derived through ``relations``.
    ``threshold`` is a number, or a function of the cell's key (each report its school's);
    ``unpublished`` cells are never published and only protected when small."""
    limit = threshold if callable(threshold) else (lambda key: threshold)
    unpublished = set(unpublished)

    def small(key):
        return 0 < cells[key] < limit(key)

    hidden = {key for key in cells if small(key)} | unpublished
    harmless = {key for key in unpublished if not small(key)}
    # Where a cell counting the same people is published (its report's threshold allows
    # it), hiding the others discloses nothing more.
    same = _same_people(cells, relations)

    def protected(keys):
        return {
            key
            for key in keys - harmless
            if not any(other not in hidden for other in same.get(key, ()))
        }

    cache = {}
    while True:
        exposed = protected(derivable(hidden, relations, cache))
        if not exposed:
            # Nor pinned down by non-negativity (a count of one person is never shown as
            # "at least 1 and at most 1"). A zero pinned is nobody: nothing to protect.
            exposed = {key for key in protected(pinned(hidden, relations, cells)) if cells[key]}
        if not exposed:
            return hidden - unpublished
        hidden.add(_next_to_hide(cells, relations, hidden, exposed))
