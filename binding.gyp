{
  "targets": [
    {
      "target_name": "lnas_native",
      "sources": ["native/lnas.cc", "native/kernels.cc"],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "<!(node scripts/libtorch-path.mjs include)",
        "<!(node scripts/libtorch-path.mjs include-api)",
        "<!(node scripts/libtorch-path.mjs include-cuda)"
      ],
      "libraries": [
        "-L<!(node scripts/libtorch-path.mjs lib)",
        "-Wl,-rpath,<!(node scripts/libtorch-path.mjs lib)",
        "-Wl,--no-as-needed",
        "<!@(node scripts/libtorch-path.mjs libs)"
      ],
      "cflags!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17", "-std=gnu++20"],
      "cflags_cc": ["-std=c++17", "-O2", "-fexceptions", "-frtti", "-Wno-unused-parameter", "-Wno-deprecated-declarations"],
      "defines": ["NAPI_EXPERIMENTAL", "NODE_ADDON_API_DISABLE_DEPRECATED", "NAPI_CPP_EXCEPTIONS", "<!@(node scripts/libtorch-path.mjs defines)"]
    }
  ]
}
