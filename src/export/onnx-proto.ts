// The part of ONNX's protobuf schema (onnx/onnx.proto3) that lnas writes and reads back: a model
// with one graph, its nodes, attributes, initializers, typed inputs/outputs and metadata. Field
// numbers are ONNX's; encoding is protobufjs's, so the bytes are plain protobuf that any ONNX
// reader (ONNX Runtime, the onnx Python package) parses.
import protobuf from 'protobufjs';

/** TensorProto.DataType values used here. */
export const ONNX_FLOAT = 1;
export const ONNX_INT64 = 7;

/** AttributeProto.AttributeType values used here. */
export const ATTR = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 } as const;

const f = (id: number, type: string, rule?: 'repeated') => (rule ? { id, type, rule } : { id, type });

const SCHEMA = {
  nested: {
    onnx: {
      nested: {
        AttributeProto: {
          fields: {
            name: f(1, 'string'), type: f(20, 'int32'), f: f(2, 'float'), i: f(3, 'int64'), s: f(4, 'bytes'), t: f(5, 'TensorProto'),
            floats: f(7, 'float', 'repeated'), ints: f(8, 'int64', 'repeated'), strings: f(9, 'bytes', 'repeated'), docString: f(13, 'string'),
          },
        },
        ValueInfoProto: { fields: { name: f(1, 'string'), type: f(2, 'TypeProto'), docString: f(3, 'string') } },
        NodeProto: {
          fields: {
            input: f(1, 'string', 'repeated'), output: f(2, 'string', 'repeated'), name: f(3, 'string'), opType: f(4, 'string'),
            attribute: f(5, 'AttributeProto', 'repeated'), docString: f(6, 'string'), domain: f(7, 'string'),
          },
        },
        StringStringEntryProto: { fields: { key: f(1, 'string'), value: f(2, 'string') } },
        OperatorSetIdProto: { fields: { domain: f(1, 'string'), version: f(2, 'int64') } },
        ModelProto: {
          fields: {
            irVersion: f(1, 'int64'), producerName: f(2, 'string'), producerVersion: f(3, 'string'), domain: f(4, 'string'),
            modelVersion: f(5, 'int64'), docString: f(6, 'string'), graph: f(7, 'GraphProto'), opsetImport: f(8, 'OperatorSetIdProto', 'repeated'),
            metadataProps: f(14, 'StringStringEntryProto', 'repeated'),
          },
        },
        GraphProto: {
          fields: {
            node: f(1, 'NodeProto', 'repeated'), name: f(2, 'string'), initializer: f(5, 'TensorProto', 'repeated'), docString: f(10, 'string'),
            input: f(11, 'ValueInfoProto', 'repeated'), output: f(12, 'ValueInfoProto', 'repeated'), valueInfo: f(13, 'ValueInfoProto', 'repeated'),
          },
        },
        TensorProto: {
          fields: {
            dims: f(1, 'int64', 'repeated'), dataType: f(2, 'int32'), floatData: f(4, 'float', 'repeated'), int32Data: f(5, 'int32', 'repeated'),
            int64Data: f(7, 'int64', 'repeated'), name: f(8, 'string'), rawData: f(9, 'bytes'), docString: f(12, 'string'),
          },
        },
        TensorShapeProto: {
          fields: { dim: f(1, 'Dimension', 'repeated') },
          nested: { Dimension: { oneofs: { value: { oneof: ['dimValue', 'dimParam'] } }, fields: { dimValue: f(1, 'int64'), dimParam: f(2, 'string'), denotation: f(3, 'string') } } },
        },
        TypeProto: {
          oneofs: { value: { oneof: ['tensorType'] } },
          fields: { tensorType: f(1, 'Tensor'), denotation: f(6, 'string') },
          nested: { Tensor: { fields: { elemType: f(1, 'int32'), shape: f(2, 'TensorShapeProto') } } },
        },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(SCHEMA);
const ModelProto = root.lookupType('onnx.ModelProto');

export interface OnnxTensor { name: string; dims: number[]; dataType: number; rawData: Uint8Array }
export interface OnnxAttribute { name: string; type: number; f?: number; i?: number; s?: Uint8Array; ints?: number[]; floats?: number[]; t?: OnnxTensor }
export interface OnnxNode { name: string; opType: string; input: string[]; output: string[]; attribute: OnnxAttribute[] }
export type OnnxDim = { dimValue: number } | { dimParam: string };
export interface OnnxValueInfo { name: string; type: { tensorType: { elemType: number; shape: { dim: OnnxDim[] } } } }
export interface OnnxModel {
  irVersion: number;
  producerName: string;
  producerVersion: string;
  opsetImport: { domain: string; version: number }[];
  metadataProps: { key: string; value: string }[];
  docString?: string;
  graph: { name: string; node: OnnxNode[]; initializer: OnnxTensor[]; input: OnnxValueInfo[]; output: OnnxValueInfo[] };
}

export function encodeModel(model: OnnxModel): Uint8Array {
  const message = ModelProto.fromObject(model);
  return ModelProto.encode(message).finish();
}

/** Decodes a serialized ModelProto (lnas reads back the metadata and the input shape). */
export function decodeModel(bytes: Uint8Array): OnnxModel {
  const m = ModelProto.decode(bytes);
  return ModelProto.toObject(m, { longs: Number, defaults: true, arrays: true }) as unknown as OnnxModel;
}
