# Writes frames with the real StaticFrame into sys.argv[1], each as NAME.npz (Frame.to_npz) and NAME.npydir
# (Frame.to_npy): names that collide with the field names pandas and we would give, hierarchies of mixed
# level types and names of every kind, datetime index classes, far-off dates, unicode, bool and float
# labels, no rows, one row, Fortran and mixed blocks, and frame_fixtures specifications. Prints the names.
import sys, os
import numpy as np
import static_frame as sf
import frame_fixtures as ff
out = sys.argv[1]
frames = {}
# Names that collide with field names we or pandas would give.
frames['index_like_column'] = sf.Frame.from_dict({'a': [1, 2, 3], 'b': [4.0, 5.5, 6.0]}, index=sf.Index(['x', 'y', 'z'], name='a'))
frames['column_index_level_0'] = sf.Frame.from_dict({'__index_level_0__': [1, 2, 3], 'v': ['p', 'q', 'r']}, index=(10, 20, 30))
frames['column_named_index'] = sf.Frame.from_dict({'index': [1, 2, 3], '__index_level_0__': [7, 8, 9]}, index=(1, 2, 3))
# Hierarchies of mixed level types, names of every kind.
ih = sf.IndexHierarchy.from_product(('a', 'b'), (1, 2), name=('outer', 'inner'))
ch = sf.IndexHierarchy.from_product(('p', 'q'), (True, False), (1.5, 2.5))
frames['hierarchies'] = sf.Frame(np.arange(32).reshape(4, 8), index=ih, columns=ch, name='h')
frames['hierarchy_unnamed'] = sf.Frame(np.arange(8.0).reshape(4, 2), index=sf.IndexHierarchy.from_product((1, 2), ('x', 'y')), columns=('c0', 'c1'))
frames['int_name'] = sf.Frame.from_dict({'v': [1, 2]}, index=sf.Index(['a', 'b'], name=3), name=7)
frames['tuple_name'] = sf.Frame.from_dict({'v': [1, 2]}, index=sf.Index(['a', 'b'], name=('t', 1)))
# Datetime index classes and far-off dates.
frames['index_date'] = sf.Frame.from_dict({'v': [1, 2, 3]}, index=sf.IndexDate(['2020-01-01', '1677-01-01', '2262-12-31']))
frames['index_year_month'] = sf.Frame.from_dict({'v': [1, 2]}, index=sf.IndexYearMonth(['2020-01', '1999-12']))
frames['index_year'] = sf.Frame.from_dict({'v': [1, 2]}, index=sf.IndexYear(['2020', '1066']))
frames['index_hour'] = sf.Frame.from_dict({'v': [1, 2]}, index=sf.IndexHour(np.array(['2020-01-01T05', '1999-12-31T23'], 'datetime64[h]')))
frames['index_minute'] = sf.Frame.from_dict({'v': [1, 2]}, index=sf.IndexMinute(np.array(['2020-01-01T05:06', '1999-12-31T23:59'], 'datetime64[m]')))
frames['index_second'] = sf.Frame.from_dict({'v': [1, 2]}, index=sf.IndexSecond(np.array(['2020-01-01T05:06:07', '1999-12-31T23:59:59'], 'datetime64[s]')))
frames['index_millisecond'] = sf.Frame.from_dict({'v': [1, 2]}, index=sf.IndexMillisecond(np.array([1, 2], 'datetime64[ms]')))
frames['index_microsecond'] = sf.Frame.from_dict({'v': [1, 2]}, index=sf.IndexMicrosecond(np.array([1, 2], 'datetime64[us]')))
frames['complex_and_m8y'] = sf.Frame.from_dict({'c': np.array([1 + 2j, -0.5j], 'c16'), 'y': np.array(['2020', '1066'], 'datetime64[Y]'),
                                                'td': np.array([1, -2], 'timedelta64[h]')})
frames['every_dtype'] = sf.Frame.from_dict({
    'i1': np.array([-1, 2], 'i1'), 'i2': np.array([-300, 2], 'i2'), 'i4': np.array([1, -2**31], 'i4'),
    'u1': np.array([0, 255], 'u1'), 'u2': np.array([0, 65535], 'u2'), 'u4': np.array([0, 2**32 - 1], 'u4'),
    'u8': np.array([0, 2**64 - 1], 'u8'), 'f2': np.array([1.5, -0.0], 'f2'), 'f4': np.array([np.nan, 1e30], 'f4'),
    'c8': np.array([1 + 1j, 0], 'c8'), 'S': np.array([b'ab', b''], 'S2'), 'M8ns': np.array([0, 'NaT'], 'datetime64[ns]'),
    'm8s': np.array([1, 'NaT'], 'timedelta64[s]'), 'M8W': np.array(['2020-01-02', '1970-01-01'], 'datetime64[W]')},
    index=('r0', 'r1'))
frames['index_nanosecond'] = sf.Frame.from_dict({'v': [1, 2]}, index=sf.IndexNanosecond(np.array([1, 2], 'datetime64[ns]')))
frames['far_dates'] = sf.Frame.from_dict({'d': np.array(['-0334-01-01', '2020-02-29', '9999-12-31'], 'datetime64[D]'), 'i': [1, 2, 3]})
frames['unicode'] = sf.Frame.from_dict({'βγ': ['😀', 'é', ''], 'ascii': [b'x', b'yy', b'']}, index=('ü', 'ö', 'ä'))
frames['bool_float_labels'] = sf.Frame.from_records([[1, 2], [3, 4]], columns=(True, 2.5), index=(False, True))
frames['empty_rows'] = sf.Frame.from_dict({'a': np.array([], 'i8'), 'b': np.array([], 'U1')})
frames['one_row'] = sf.Frame.from_records([[1, 'x', 2.5, True]], columns=('i', 's', 'f', 'b'), index=('only',))
frames['fortran_block'] = sf.Frame(np.asfortranarray(np.arange(12.0).reshape(4, 3)), columns=('a', 'b', 'c'))
frames['mixed_blocks'] = sf.Frame.from_concat([sf.Frame(np.arange(6).reshape(3, 2), columns=('i0', 'i1')),
                                               sf.Frame(np.array([['a', 'b'], ['c', 'd'], ['e', 'f']]), columns=('s0', 's1'))], axis=1)
# frame_fixtures specifications, as StaticFrame's own tests make frames.
for i, spec in enumerate(['f(F)|v(int,str,bool,float)|i(I,str)|c(I,str)|s(6,5)',
                          'f(F)|v(float)|i(IH,(str,int))|c(IH,(str,int))|s(4,4)',
                          'f(F)|v(int,bool)|i(ID,dtD)|c(I,int)|s(5,3)',
                          'f(F)|v(str)|i(IY,dtY)|c(IYM,dtY)|s(3,2)']):
    try:
        frames[f'ff_{i}'] = ff.parse(spec)
    except Exception as e:
        print('skip', spec, e, file=sys.stderr)
# The nine panel frames of StaticFrame's NPZ article, small: tall, square, wide x uniform (one float
# block), mixed (int, float, bool, str columns in turn), columnar (an array per column).
rng = np.random.default_rng(42)
for shape_name, (rows, cols) in {'tall': (400, 10), 'square': (60, 60), 'wide': (10, 400)}.items():
    index = sf.Index(np.arange(rows, dtype=np.int64), name='i')
    columns = [f'c{j}' for j in range(cols)]
    frames[f'panel_{shape_name}_uniform'] = sf.Frame(rng.random((rows, cols)), index=index, columns=columns)
    def mixed_column(j):
        return [rng.integers(-1000, 1000, rows), rng.random(rows), rng.random(rows) > 0.5,
                np.array([f's{k % 7}' for k in range(rows)])][j % 4]
    arrays = [mixed_column(j) for j in range(cols)]
    frames[f"panel_{shape_name}_mixed"] = sf.Frame.from_items(zip(columns, arrays), index=index)
    frames[f'panel_{shape_name}_columnar'] = sf.Frame.from_items(zip(columns, (rng.random(rows) for _ in columns)), index=index)
for name, f in frames.items():
    f.to_npz(os.path.join(out, name + '.npz'))
    f.to_npy(os.path.join(out, name + '.npydir'))
print('\n'.join(frames))
