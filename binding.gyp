{
  "targets": [
    {
      "target_name": "scan_kernel",
      "sources": ["native/scan_kernel.cc", "native/liquidation_relink.cc"],
      "cflags_cc": ["-O3", "-std=c++17", "-ffp-contract=off", "-fno-fast-math"],
      "cflags_cc!": ["-fno-exceptions"]
    }
  ]
}
