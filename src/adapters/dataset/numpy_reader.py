"""Independent reader for the dataset tests: reads a Megatron .idx/.bin pair the way Megatron-LM's
MMapIndexedDataset does (struct header + numpy memmap) and prints every document's tokens as JSON."""
import json
import struct
import sys

import numpy

DTYPES = {1: numpy.uint8, 2: numpy.int8, 3: numpy.int16, 4: numpy.int32, 5: numpy.int64, 6: numpy.float64, 7: numpy.float32, 8: numpy.uint16}


def read(prefix):
    with open(prefix + ".idx", "rb") as stream:
        assert stream.read(9) == b"MMIDIDX\x00\x00", "bad magic"
        (version,) = struct.unpack("<Q", stream.read(8))
        assert version == 1, version
        (code,) = struct.unpack("<B", stream.read(1))
        dtype = DTYPES[code]
        (sequence_count,) = struct.unpack("<Q", stream.read(8))
        (document_count,) = struct.unpack("<Q", stream.read(8))
        offset = stream.tell()
    index = numpy.memmap(prefix + ".idx", mode="r", order="C")
    sizes = numpy.frombuffer(index, dtype=numpy.int32, count=sequence_count, offset=offset)
    pointers = numpy.frombuffer(index, dtype=numpy.int64, count=sequence_count, offset=offset + sizes.nbytes)
    documents = numpy.frombuffer(index, dtype=numpy.int64, count=document_count, offset=offset + sizes.nbytes + pointers.nbytes)
    assert offset + sizes.nbytes + pointers.nbytes + documents.nbytes == len(index), "trailing bytes in .idx"
    data = numpy.memmap(prefix + ".bin", mode="r", order="C")
    def sequence(i):
        return numpy.frombuffer(data, dtype=dtype, count=int(sizes[i]), offset=int(pointers[i])).tolist()
    docs = []
    for d in range(document_count - 1):
        tokens = []
        for s in range(int(documents[d]), int(documents[d + 1])):
            tokens.extend(sequence(s))
        docs.append(tokens)
    return {"dtype": numpy.dtype(dtype).name, "sequences": int(sequence_count), "document_indices": documents.tolist(), "documents": docs}


if __name__ == "__main__":
    json.dump([read(prefix) for prefix in sys.argv[1:]], sys.stdout)
