// The liquidation index's re-banding (liquidation_relink.cc), registered by the addon's module init.
#pragma once

#include <node_api.h>

namespace cascadelab {

// The addon's `relink` (liquidation_index.ts's argument order), checking every array's extent first.
napi_value Relink(napi_env env, napi_callback_info info);

}  // namespace cascadelab
