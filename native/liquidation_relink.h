// The liquidation index's re-banding (liquidation_relink.cc), called from the addon's glue.
#pragma once

#include <node_api.h>

#include <cstdint>

namespace cascadelab {

struct RelinkArgs {
  const int32_t* list;
  int64_t count;
  const double* band;
  const double* lots;
  const double* units;
  const double* mark;
  const double* assetPrice;
  int instruments;
  int assets;
  double* slotF;
  int32_t* slotI;
  int64_t slots;
  int32_t* heads;
  double* width;
  double* maxKeyDown;
  double* minKeyUp;
  int keys;
  double bucketsPerPrice;
};

// Unlinks each listed account's slots and links its thresholds for band[k]; false if a record is corrupt.
bool relink(const RelinkArgs& args);

// The addon's `relink` (liquidation_index.ts's argument order), checking every array's extent first.
napi_value Relink(napi_env env, napi_callback_info info);

}  // namespace cascadelab
