# Arrow IPC files and streams with dictionaries nested in lists, structs, maps and other dictionaries' values
# (the shapes of arrow-testing's generated_nested_dictionary and more), one batch, replaced dictionaries
# across batches, and deltas: NestedDictionariesTest converts them and compares pyarrow's reads.
import sys, os, pyarrow as pa, pyarrow.ipc as ipc
d = sys.argv[1]
def dic(indices, values, t=pa.int32()):
    return pa.DictionaryArray.from_arrays(pa.array(indices, t), pa.array(values))
def shapes(k):
    # k varies the inner dictionaries' values between batches
    inner = dic([0, 1, 0, 2], [f'a{k}', f'b{k}', f'c{k}'])
    lists = pa.ListArray.from_arrays(pa.array([0, 2, 4], pa.int32()), inner)
    list_dict = pa.DictionaryArray.from_arrays(pa.array([1, 0, None, 1], pa.int8()), lists)
    structs = pa.StructArray.from_arrays([dic([1, 0], [f'x{k}', f'y{k}']), pa.array([5, 6])], names=['s', 'n'])
    struct_dict = pa.DictionaryArray.from_arrays(pa.array([0, 1, 1, 0], pa.int16()), structs)
    list_of_dict = pa.ListArray.from_arrays(pa.array([0, 1, 3, 3, 4], pa.int32()), dic([0, 1, 1, 0], [f'p{k}', 'q'], pa.int64()))
    struct_of_dict = pa.StructArray.from_arrays([dic([0, 1, None, 0], [f'u{k}', 'v']), pa.array([1, 2, 3, 4])], names=['c', 'i'])
    maps = pa.MapArray.from_arrays(pa.array([0, 1, 2, 2, 3], pa.int32()), pa.array(['k1', 'k2', 'k3']), dic([1, 0, 1], [f'm{k}', 'n']))
    return pa.record_batch({'list_dict': list_dict, 'struct_dict': struct_dict, 'list_of_dict': list_of_dict,
                            'struct_of_dict': struct_of_dict, 'map_dict': maps})
one = shapes(0)
with ipc.new_file(os.path.join(d, 'nested.arrow_file'), one.schema) as w:
    w.write_batch(one)
with ipc.new_stream(os.path.join(d, 'nested.stream'), one.schema) as w:
    w.write_batch(one)
# A stream whose dictionaries, nested ones included, are replaced between batches.
with ipc.new_stream(os.path.join(d, 'replaced.stream'), one.schema) as w:
    for k in range(3):
        w.write_batch(shapes(k))
# Deltas: the second batch's dictionaries extend the first's.
def grow(n):
    vals = ['a', 'b', 'c', 'd'][:n]
    inner = dic(list(range(n)), vals)
    return pa.record_batch({'list_of_dict': pa.ListArray.from_arrays(pa.array([0, n], pa.int32()), inner),
                            'plain': dic([n - 1], vals)})
with ipc.new_stream(os.path.join(d, 'delta.stream'), grow(2).schema,
                    options=ipc.IpcWriteOptions(emit_dictionary_deltas=True)) as w:
    w.write_batch(grow(2))
    w.write_batch(grow(4))

