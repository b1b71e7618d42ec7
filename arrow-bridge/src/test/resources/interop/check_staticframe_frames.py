# Checks what arrow-npz made of StaticFrame's frames (sys.argv[1]: the folder; the rest: frame names).
# For each frame and each of its two files (NAME.npz, NAME.npydir), our NPZ, our NPY directory and our
# Feather converted back to NPZ must give StaticFrame an equal frame (values, dtypes, labels, names,
# classes); pandas must read our Feather and Parquet with the shape, column labels and index names that
# StaticFrame's own to_pandas gives, but for the documented differences below; polars must read our
# Feather. Prints one line per problem, then "checked N".
import sys, os, json
import numpy as np, pandas as pd, polars as pl, pyarrow as pa, pyarrow.feather as feather
import static_frame as sf

def same_frame(a, b):
    return a.equals(b, compare_dtype=True, compare_class=True, compare_name=True)

def documented(want):
    """sf.to_pandas() as pandas sees our files: non-string index names as their text (pyarrow does the
    same), bool column labels as 'True'/'False' (pyarrow's own reading turns them all into True)."""
    def text(name):
        if name is None or isinstance(name, str):
            return name
        if isinstance(name, tuple):
            return '(' + ', '.join(repr(str(x)) for x in name) + ')'
        return str(name)
    want = want.copy()
    want.index = want.index.set_names([text(n) for n in want.index.names])
    def label(l):
        return tuple(str(x) if isinstance(x, bool) else x for x in l) if isinstance(l, tuple) else (str(l) if isinstance(l, bool) else l)
    want.columns = [label(c) for c in want.columns] if want.columns.nlevels == 1 else pd.MultiIndex.from_tuples([label(c) for c in want.columns])
    return want

def same_values(column, values):
    """An Arrow column we wrote against the NumPy array StaticFrame holds."""
    a = column.combine_chunks()
    k = values.dtype.kind
    if k in 'mM':
        if pa.types.is_integer(a.type):  # a unit Arrow has no type for (years, months, hours): counts
            got = a.to_numpy(zero_copy_only=False)
        else:
            got = a.to_numpy(zero_copy_only=False).astype(values.dtype).view('i8')
        return np.array_equal(got, values.view('i8'))
    if k == 'c':
        return np.array_equal(a.flatten().to_numpy(zero_copy_only=False).view(values.dtype), values, equal_nan=True)
    if k in 'USO':
        return a.to_pylist() == values.tolist()
    return np.array_equal(a.to_numpy(zero_copy_only=False), values, equal_nan=k == 'f')

def frame_values(f):
    """The frame's index levels (unless automatic) and columns, as NumPy arrays, in field order."""
    depth = f.index.depth
    levels = [f.index.values_at_depth(i) for i in range(depth)]
    return levels, [f.iloc[:, j].values for j in range(f.shape[1])]


d = sys.argv[1]
problems = []
checked = 0
for name in sys.argv[2:]:
    orig = sf.Frame.from_npz(os.path.join(d, name + '.npz'))
    assert same_frame(orig, sf.Frame.from_npy(os.path.join(d, name + '.npydir'))), name
    for src in ('npz', 'npydir'):
        base = os.path.join(d, f'{name}.{src}')
        for kind, path, load in (('npz', base + '.ours.npz', sf.Frame.from_npz),
                                 ('npy-dir', base + '.ours.npydir', sf.Frame.from_npy),
                                 ('feather then npz', base + '.back.npz', sf.Frame.from_npz)):
            try:
                if not same_frame(load(path), orig):
                    problems.append((name, src, kind, 'a different frame'))
            except Exception as e:
                problems.append((name, src, kind, repr(e)[:200]))
        try:
            want = documented(orig.to_pandas())
        except NotImplementedError:
            want = None  # StaticFrame has no pandas form either (a year-month index); pandas must still read ours
        for kind, path, load in (('feather', base + '.ours.feather', pd.read_feather),
                                 ('parquet', base + '.ours.parquet', pd.read_parquet)):
            try:
                got = load(path)
            except Exception as e:
                problems.append((name, src, kind, 'pandas cannot read it', repr(e)[:200]))
                continue
            if want is None:
                continue
            if got.shape != want.shape or list(got.columns) != list(want.columns):
                problems.append((name, src, kind, 'pandas shape or columns', got.shape, want.shape,
                                 list(got.columns)[:4], list(want.columns)[:4]))
            if list(got.index.names) != list(want.index.names):
                problems.append((name, src, kind, 'pandas index names', list(got.index.names), list(want.index.names)))
            # Index levels of the same kind as StaticFrame's to_pandas gives (a DatetimeIndex for
            # IndexDate, IndexHour, ...), but for years and months: int64 counts (documented).
            for level in range(want.index.nlevels):
                w, g = want.index.get_level_values(level), got.index.get_level_values(level)
                unit = np.datetime_data(orig.index.values_at_depth(level).dtype)[0] \
                    if orig.index.values_at_depth(level).dtype.kind == 'M' else None
                if unit in ('Y', 'M'):
                    continue
                if w.dtype.kind != g.dtype.kind or not np.array_equal(np.asarray(w), np.asarray(g)):
                    problems.append((name, src, kind, 'pandas index level', level, str(g.dtype), str(w.dtype)))
        table = feather.read_table(base + '.ours.feather')
        described = json.loads(table.schema.metadata[b'arrownpz.frame'])
        levels, columns = frame_values(orig)
        arrays = ([] if described['auto_index'] else levels) + columns
        if len(arrays) != table.num_columns:
            problems.append((name, src, 'fields', table.num_columns, len(arrays)))
        else:
            for field, values in zip(table.schema, arrays):
                if not same_values(table.column(field.name), values):
                    problems.append((name, src, 'values of', field.name))
        try:
            if len(set(table.column_names)) != table.num_columns:
                problems.append((name, src, 'field names repeat', table.column_names))
            if pl.read_ipc(base + '.ours.feather').width != table.num_columns:
                problems.append((name, src, 'polars width'))
        except BaseException as e:  # polars panics surface as BaseException
            problems.append((name, src, 'polars', repr(e)[:200]))
        checked += 1
for p in problems:
    print('PROBLEM', p)
print(f'checked {checked}')
