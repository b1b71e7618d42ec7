# Checks conversions arrow-npz made (sys.argv[1]: a JSON list of {input, target, output, back, error, decoded})
# against pyarrow. A written file must hold what pyarrow reads from the input: exactly for Feather and IPC streams;
# for Parquet, what pyarrow's own Parquet round trip of the input gives; for NPZ (read back through
# arrow-npz as Feather), the same values and types, nullability aside, float nulls as NaN (NumPy's form).
# A refusal is fine only where the target cannot hold the data: Parquet where pyarrow cannot write it
# either, NPZ (NumPy has no form for many Arrow types), and Arrow types Arrow Java cannot represent.
# With "decoded", the output holds the input's dictionary columns as their values (a table read whole).
# Prints one line per problem, then "checked N written, M refused".
import sys, json, io, math
import pyarrow as pa, pyarrow.feather as feather, pyarrow.ipc as ipc, pyarrow.parquet as pq, pyarrow.compute as pc

def read(path):
    if path.endswith('.arrows'):
        return ipc.open_stream(path).read_all()
    if path.endswith('.parquet'):
        return pq.read_table(path)
    return feather.read_table(path)

def bare(t, nullable=None):
    fields = []
    for f in t.schema:
        f = f.remove_metadata()
        if nullable is not None:
            f = f.with_nullable(True)
        fields.append(f)
    return pa.table([c for c in t.columns], schema=pa.schema(fields))

def java_cannot(t):
    return any(str(f.type).startswith(('decimal32', 'decimal64')) for f in t.schema)

def decoded(t):
    """The table with its dictionary columns (top level) as their values."""
    # By value: pyarrow has no take kernel for a dictionary of string views.
    cols = [pa.chunked_array([pa.array(k.to_pylist(), c.type.value_type) for k in c.chunks], c.type.value_type)
            if pa.types.is_dictionary(c.type) else c for c in t.columns]
    return pa.table(cols, schema=pa.schema([pa.field(f.name, c.type, f.nullable, f.metadata) for f, c in zip(t.schema, cols)]))

def pyarrow_parquet(t):
    """pyarrow's own Parquet round trip of the table, or None where pyarrow cannot write it (polars'
    dictionaries of string views; its string views, which pyarrow 25 cannot slice into row groups)."""
    b = io.BytesIO()
    try:
        pq.write_table(t, b)
    except pa.ArrowNotImplementedError:
        return None
    b.seek(0)
    return pq.read_table(b)

def same_values(x, y):
    if x.equals(y):  # chunked arrays compare across different chunkings
        return True
    return repr(x.to_pylist()) == repr(y.to_pylist())  # NaN == NaN by text

def floats_nan(t):
    cols = []
    for c in t.columns:
        if pa.types.is_floating(c.type):
            c = pc.fill_null(c, float('nan'))
        cols.append(c)
    return pa.table(cols, names=t.column_names)

def regular(t):
    """The type with 32-bit offsets in place of 64-bit ones or views for strings and binaries, at every depth.
    A large list stays one: the packed layout keeps its 64-bit offsets (`__offsets__.npy` as int64)."""
    if pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return pa.string()
    if pa.types.is_large_binary(t) or pa.types.is_binary_view(t):
        return pa.binary()
    if pa.types.is_large_list(t):
        return pa.large_list(pa.field(t.value_field.name, regular(t.value_type), t.value_field.nullable))
    if pa.types.is_list(t):
        return pa.list_(pa.field(t.value_field.name, regular(t.value_type), t.value_field.nullable))
    return t

def same_type(a, b):
    if a == b:
        return True
    # A tensor with the identity permutation is the same tensor as one that states none.
    if isinstance(a, pa.FixedShapeTensorType) and isinstance(b, pa.FixedShapeTensorType):
        identity = list(range(len(a.shape)))
        return (a.value_type == b.value_type and list(a.shape) == list(b.shape) and a.dim_names == b.dim_names
                and (a.permutation or identity) == (b.permutation or identity))
    return False

def same_schema(a, b):
    return a.names == b.names and all(same_type(x.type, y.type) and x.nullable == y.nullable for x, y in zip(a, b))

def compare(got, want, loose_nulls=False):
    if loose_nulls:
        got, want = bare(got, nullable=True), floats_nan(bare(want, nullable=True))
        got = floats_nan(got)
    else:
        got, want = bare(got), bare(want)
    if not same_schema(got.schema, want.schema):
        diff = [f'{g} != {w}' for g, w in zip(got.schema, want.schema) if g != w] or [f'{got.schema.names} != {want.schema.names}']
        return ('schema ' + '; '.join(diff)).replace('\n', ' ')
    if got.num_rows != want.num_rows:
        return f'{got.num_rows} rows != {want.num_rows}'
    for name in want.column_names:
        x, y = got[name], want[name]
        if x.type != y.type:  # equivalent types (see same_type): compare the storage
            x, y = x.cast(x.type.storage_type) if hasattr(x.type, 'storage_type') else x, y.cast(y.type.storage_type) if hasattr(y.type, 'storage_type') else y
        if not same_values(x, y):
            return f'column {name}: {got[name].to_pylist()[:6]} != {want[name].to_pylist()[:6]}'
    return None

def older_type(t, list_names=False):
    """The type as Arrow C++ 18.3 reads it from Parquet; with list_names, also as Parquet names list
    elements ('element'), for tables pyarrow could not write itself."""
    import re
    text = str(t).replace('string_view', 'string').replace('binary_view', 'binary').replace('list_view<', 'list<')
    if list_names:
        text = re.sub(r'list<item: ', 'list<element: ', text)
    text = re.sub(r'decimal(32|64)\(', 'decimal128(', text)
    return re.sub(r" \('[^']*'\)", '', text)  # the name of a map's entries

def compare_older_reading(got, want, list_names=False):
    got, want = bare(got), bare(want)
    if got.column_names != want.column_names or got.num_rows != want.num_rows:
        return f'{got.column_names} ({got.num_rows} rows) != {want.column_names} ({want.num_rows} rows)'
    for name in want.column_names:
        if older_type(got[name].type, list_names) != older_type(want[name].type, list_names):
            return f'column {name}: {got[name].type} != {want[name].type}'
        x, y = got[name], want[name]
        if isinstance(y.type, pa.BaseExtensionType) and not isinstance(x.type, pa.BaseExtensionType):
            y = pa.chunked_array([k.storage for k in y.chunks], y.type.storage_type)
        if x.type != y.type:
            try:
                y = y.cast(x.type)
            except Exception:
                pass  # pyarrow cannot cast some (list_view); compare as Python values
        if not same_values(x, y):
            return f'column {name}: {x.to_pylist()[:6]} != {y.to_pylist()[:6]}'
    return None

NUMPY = ('npz', 'npy', 'npy-dir')
cases = json.load(open(sys.argv[1]))
written = refused = 0
for c in cases:
    label = f"{c['input']} -> {c['target']}"
    orig = read(c['input'])
    if c.get('error'):
        refused += 1
        if java_cannot(orig) or c['target'] in NUMPY:
            continue
        if c['target'] == 'parquet':
            try:
                if pyarrow_parquet(orig) is None:
                    continue
            except Exception:
                continue
        print(f'REFUSED {label}: {c["error"]}')
        continue
    written += 1
    try:
        got = read(c['back'] if c['target'] in NUMPY else c['output'])
    except Exception as e:
        print(f'UNREADABLE {label}: {e}')
        continue
    want = pyarrow_parquet(orig) if c['target'] == 'parquet' else orig
    if want is None:
        # What pyarrow cannot write itself: the input's values, in its types but for views (as plain
        # strings and lists, as Arrow C++ 18.3 writes and reads them).
        problem = compare_older_reading(got, orig, list_names=True)
        if problem:
            print(f'WRONG {label}: {problem}')
        continue
    if c.get('decoded'):
        want = decoded(want)
    if c['target'] in NUMPY:
        # Documented: NumPy has no offsets or views; read back, strings, bytes and lists get 32-bit offsets
        # when they fit (large_string and string_view come back as string): a representation, not a type
        # change of the values.
        want = pa.table([col.cast(regular(col.type)) for col in want.columns], names=want.column_names)
    if c['target'] == 'npy-dir':
        # Documented: a frame holds datetime64[D] as timestamp[ms] (what pandas and StaticFrame's
        # to_pandas make of it), so a date32 column comes back from a frame as that.
        want = pa.table([col.cast(pa.timestamp('ms')) if pa.types.is_date32(col.type) else col for col in want.columns],
                        names=want.column_names)
    if c['input'].endswith('.parquet') and c['target'] not in NUMPY:
        # Arrow C++ 18.3 (ours) reads a newer writer's Parquet with its own type mapping: views as plain
        # strings and lists, decimal32/64 as decimal128. Types must match but for that; values exactly.
        problem = compare_older_reading(got, want)
        if problem:
            print(f'WRONG {label}: {problem}')
        continue
    problem = compare(got, want, loose_nulls=c['target'] in NUMPY)
    if problem:
        print(f'WRONG {label}: {problem}')
print(f'checked {written} written, {refused} refused')
