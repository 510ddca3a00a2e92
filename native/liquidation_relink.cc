// The liquidation index's re-banding in C++ (engine/risk/liquidation_index.ts, `relink`): takes
// every slot of each listed account out of its bucket, then links the account's thresholds for
// its new band — the same slot records, keys and bucket heads as the index's TypeScript loop
// (which re-bands indexes built without the addon), reading each account's lots and units from
// the copy the index keeps beside its slots. Why it exists: after an oracle tick this
// bookkeeping, not the margin arithmetic, was most of the tick's time in V8 (docs/BENCHMARKS.md).

#include "liquidation_relink.h"
#include "napi_args.h"

#include <cmath>
#include <climits>
#include <cstdint>

namespace cascadelab {
namespace {

// One call's arrays and shape (Relink below has checked their extents).
struct RelinkArgs {
  const int32_t* list;
  int64_t count;
  const double* band;
  // Account a's lots at lots[a·columnStride + i], its units at units[a·columnStride + k]: the
  // index's per-account copies, beside its slot records.
  const double* lots;
  const double* units;
  int64_t columnStride;
  const double* mark;
  const double* assetPrice;
  int instruments;
  int assets;
  // Slot records per account: its factors' slots, then the record space its copies fill.
  int64_t stride;
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

constexpr int32_t kNone = -1;
// account_risk.ts BAND_NONE.
constexpr double kBandNone = 0.0;
// Slot record: 32 bytes; threshold as f64 at word 0, bucket code / next / previous as i32 at 2, 3, 4.
constexpr int kCode = 2;
constexpr int kNext = 3;
constexpr int kPrevious = 4;

// liquidation_index.ts keyOf: ⌊ticks / width⌋ within [0, keys − 1] (NaN, as Math.max(0, NaN) would not, goes to 0).
// Truncation is the floor here, the quotient being positive (and without SSE4.1 std::floor is a library call).
inline int32_t keyOf(double ticks, double width, int keys) {
  const double quotient = ticks / width;
  if (!(quotient > 0)) return 0;
  return quotient >= keys - 1 ? keys - 1 : static_cast<int32_t>(quotient);
}

// False if a record links outside the slot table (a corrupted index; never written by either side).
inline bool unlinkAccount(const RelinkArgs& x, int factors, int64_t a) {
  const int64_t base = a * x.stride;
  for (int f = 0; f < factors; f++) {
    const int64_t s = base + f;
    int32_t* slot = x.slotI + 8 * s;
    const int32_t code = slot[kCode];
    if (code == kNone) continue;
    const int32_t before = slot[kPrevious];
    const int32_t after = slot[kNext];
    if (before < kNone || before >= x.slots || after < kNone || after >= x.slots || code < 0 || code >= 2 * x.keys) return false;
    if (before == kNone) x.heads[static_cast<int64_t>(2 * f) * x.keys + code] = after;
    else x.slotI[8 * static_cast<int64_t>(before) + kNext] = after;
    if (after != kNone) x.slotI[8 * static_cast<int64_t>(after) + kPrevious] = before;
    slot[kCode] = kNone;
  }
  return true;
}

// Links slot (a, f) at `threshold` (ticks); false, as unlinkAccount, if the bucket's head is outside the slot table.
inline bool link(const RelinkArgs& x, int64_t a, int f, bool up, double threshold, double price) {
  if (!up && threshold <= 0) return true;
  if (x.width[f] == 0) x.width[f] = price > 0 ? price / x.bucketsPerPrice : 1;
  const int64_t s = a * x.stride + f;
  const int32_t key = keyOf(threshold, x.width[f], x.keys);
  const int64_t h = static_cast<int64_t>(2 * f + (up ? 1 : 0)) * x.keys + key;
  const int32_t head = x.heads[h];
  if (head < kNone || head >= x.slots) return false;
  int32_t* slot = x.slotI + 8 * s;
  x.slotF[4 * s] = threshold;
  slot[kCode] = (up ? x.keys : 0) + key;
  slot[kPrevious] = kNone;
  slot[kNext] = head;
  if (head != kNone) x.slotI[8 * static_cast<int64_t>(head) + kPrevious] = static_cast<int32_t>(s);
  x.heads[h] = static_cast<int32_t>(s);
  if (up) {
    if (key < x.minKeyUp[f]) x.minKeyUp[f] = key;
  } else if (key > x.maxKeyDown[f]) {
    x.maxKeyDown[f] = key;
  }
  return true;
}

// Prefetch distances, in accounts ahead of the one being re-banded: its record's lines (and its
// columns, if it will be linked) first; then, once those have arrived, its neighbours' records.
// The records are scattered over the book, so each is a cache and TLB miss that would otherwise
// be waited for one after another (perf: most of this loop's time; ~5% of a tick, builds A/B-ed in one process).
constexpr int64_t kRecordAhead = 8;
constexpr int64_t kNeighbourAhead = 4;

// Prefetches (for writing) the lines of account a's slot records, and its copies' line unless it is watched (then nothing is linked).
inline void prefetchAccount(const RelinkArgs& r, int factors, int64_t a, bool linking) {
  const char* record = reinterpret_cast<const char*>(r.slotI + 8 * a * r.stride);
  const int64_t bytes = 32 * static_cast<int64_t>(factors);
  for (int64_t offset = 0; offset < bytes; offset += 64) __builtin_prefetch(record + offset, 1);
  __builtin_prefetch(record + bytes - 1, 1);
  if (linking) {
    __builtin_prefetch(r.lots + a * r.columnStride);
    __builtin_prefetch(r.units + a * r.columnStride + r.assets - 1);
  }
}

// Prefetches the records linked before and after each of account a's indexed slots (an unlink writes them).
inline void prefetchNeighbours(const RelinkArgs& r, int factors, int64_t a) {
  const int32_t* slots = r.slotI + 8 * a * r.stride;
  for (int f = 0; f < factors; f++) {
    const int32_t* slot = slots + 8 * f;
    if (slot[kCode] == kNone) continue;
    const int64_t before = slot[kPrevious], after = slot[kNext];
    if (before >= 0 && before < r.slots) __builtin_prefetch(r.slotI + 8 * before, 1);
    if (after >= 0 && after < r.slots) __builtin_prefetch(r.slotI + 8 * after, 1);
  }
}

// Unlinks each listed account's slots and links its thresholds for band[k]; false if a record is corrupt.
bool relink(const RelinkArgs& r) {
  const int factors = r.instruments + r.assets - 1;
  for (int64_t k = 0; k < r.count; k++) {
    if (k + kRecordAhead < r.count) prefetchAccount(r, factors, r.list[k + kRecordAhead], r.band[k + kRecordAhead] != kBandNone);
    if (k + kNeighbourAhead < r.count) prefetchNeighbours(r, factors, r.list[k + kNeighbourAhead]);
    const int64_t a = r.list[k];
    if (!unlinkAccount(r, factors, a)) return false;
    const double band = r.band[k];
    if (band == kBandNone || band == INFINITY || band != band) continue;
    const double* lots = r.lots + a * r.columnStride;
    for (int i = 0; i < r.instruments; i++) {
      const double l = lots[i];
      if (l == 0) continue;
      const double price = r.mark[i];
      if (!(l > 0 ? link(r, a, i, false, price * (1 - band), price) : link(r, a, i, true, price * (1 + band), price))) return false;
    }
    const double* units = r.units + a * r.columnStride;
    for (int k2 = 1; k2 < r.assets; k2++) {
      if (units[k2] > 0) {
        const double price = r.assetPrice[k2];
        if (!link(r, a, r.instruments + k2 - 1, false, price * (1 - band), price)) return false;
      }
    }
  }
  return true;
}

}  // namespace

// Arguments: list, count, band, lots, units, columnStride, markTicks, assetPriceTicks, instruments,
// assets, stride, slotF, slotI, heads, width, maxKeyDown, minKeyUp, keys, bucketsPerPrice.
napi_value Relink(napi_env env, napi_callback_info info) {
  constexpr size_t kArgs = 19;
  size_t argc = kArgs;
  napi_value argv[kArgs];
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok || argc != kArgs) return fail(env, "native relink: expected 19 arguments");
  void* p[kArgs];
  size_t n[kArgs];
  const auto f64 = [&](size_t j) { return typedArray(env, argv[j], napi_float64_array, &p[j], &n[j]); };
  const auto i32 = [&](size_t j) { return typedArray(env, argv[j], napi_int32_array, &p[j], &n[j]); };
  if (!i32(0) || !f64(2) || !f64(3) || !f64(4) || !f64(6) || !f64(7) || !f64(11) || !i32(12) || !i32(13) || !f64(14) || !f64(15) || !f64(16)) {
    return fail(env, "native relink: an array is not the expected typed array");
  }
  int64_t count, columnStride, instruments, assets, stride, keys;
  double bucketsPerPrice;
  if (!integer(env, argv[1], &count) || !integer(env, argv[5], &columnStride) || !integer(env, argv[8], &instruments) ||
      !integer(env, argv[9], &assets) || !integer(env, argv[10], &stride) || !integer(env, argv[17], &keys) ||
      napi_get_value_double(env, argv[18], &bucketsPerPrice) != napi_ok) {
    return fail(env, "native relink: a count is not a number");
  }
  if (count < 0 || instruments < 1 || assets < 1 || keys < 1 || !(bucketsPerPrice > 0) || stride < instruments + assets - 1 || columnStride < 1) {
    return fail(env, "native relink: bad shape");
  }
  const uint64_t I = instruments, A = assets, F = I + A - 1, slots = n[12] / 8;
  if (static_cast<uint64_t>(count) > n[0] || static_cast<uint64_t>(count) > n[2] || n[6] < I || n[7] < A || n[11] < 4 * slots ||
      n[13] < 2 * F * keys || n[14] < F || n[15] < F || n[16] < F || slots > INT32_MAX) {
    return fail(env, "native relink: arrays shorter than the shape");
  }
  const int32_t* list = static_cast<const int32_t*>(p[0]);
  const uint64_t S = stride, C = columnStride;
  for (int64_t k = 0; k < count; k++) {
    const uint64_t a = list[k];
    if (list[k] < 0 || a * S + F > slots || a * C + I > n[3] || a * C + A > n[4]) return fail(env, "native relink: an account is outside the columns");
  }
  const RelinkArgs args{list, count, static_cast<const double*>(p[2]), static_cast<const double*>(p[3]), static_cast<const double*>(p[4]),
                        columnStride, static_cast<const double*>(p[6]), static_cast<const double*>(p[7]), static_cast<int>(instruments),
                        static_cast<int>(assets), stride, static_cast<double*>(p[11]), static_cast<int32_t*>(p[12]), static_cast<int64_t>(slots),
                        static_cast<int32_t*>(p[13]), static_cast<double*>(p[14]), static_cast<double*>(p[15]), static_cast<double*>(p[16]),
                        static_cast<int>(keys), bucketsPerPrice};
  if (!relink(args)) return fail(env, "native relink: the index's slot records are corrupt");
  return nullptr;
}

}  // namespace cascadelab
