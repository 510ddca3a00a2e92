// The full margin scan in C++ (a Node-API addon): the same IEEE operations in the same order as
// engine/risk/account_risk.ts scanRange, so the results are bit-identical to it and to the
// compiled JavaScript kernel (engine/risk/scan_kernel.ts; a test compares all three on random
// books). Why it exists: in V8 the scan stops at ~30 ms per million accounts × 4 positions —
// every typed array is re-checked per account and the per-scan constants spill — while the same
// arithmetic compiled ahead of time runs near the speed the columns can be read
// (docs/BENCHMARKS.md). The columns are the store's SharedArrayBuffers, read in place.
// The same loop runs over a list of accounts (a liquidation index's candidates after an oracle
// tick), their columns gathered lane by lane: from the store's columns, or from the copies of
// cash, lots and units the index keeps beside each account's slot records (accountStride).
//
// Built with -ffp-contract=off and without -ffast-math: no fused multiply-add, no reassociation,
// so each operation rounds exactly as JavaScript's does. JavaScript's Math.max/min semantics
// (NaN wins, +0 above −0) are spelled out below rather than taken from fmax/fmin.

#include <node_api.h>

#include "liquidation_relink.h"
#include "napi_args.h"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>

namespace {

using cascadelab::fail;
using cascadelab::integer;
using cascadelab::typedArray;

constexpr double kInfinity = std::numeric_limits<double>::infinity();
// account_risk.ts BAND_NONE.
constexpr double kBandNone = 0.0;

// Math.max(x, 0): NaN stays NaN, −0 and +0 give +0.
inline double max0(double x) { return x > 0 ? x : (x != x ? x : 0.0); }

// Math.min(x, y) for y not NaN: NaN if x is NaN, −0 below +0.
inline double minJs(double x, double y) {
  if (x != x) return x;
  if (x < y) return x;
  if (x == y) return std::signbit(x) ? x : y;
  return y;
}

struct Columns {
  const double* cash;
  const double* lots;
  const double* units;
  const double* mark;
  const double* cpt;
  const int32_t* tierOffset;
  const int32_t* tierCount;
  const double* maxNotional;
  const double* rate;
  const double* amount;
  const double* rateMax;
  const double* jumps;
  const double* price;
  const double* cpu;
  const double* assetUnit;
  const double* haircut;
  const double* sizePremium;
  // Weight memo (risk_columns.ts weightUnits/weight): slot a·premiumAssets + p for the p-th asset with a size premium.
  double* memoUnits;
  double* memoWeight;
  int instruments;
  int assets;
  int premiumAssets;
  // Doubles from one account's cash, lots and units to the next's, for list scans: 1, instruments
  // and assets in the store's columns; a liquidation index's record size where the columns are its
  // per-account copies (which sit beside the account's slot records: one page per candidate).
  int64_t cashStride;
  int64_t lotsStride;
  int64_t unitsStride;
};

struct Output {
  int32_t* accounts;
  double* health;
  int64_t offset;
  double* band;  // null: no band
  int64_t bandBase;
  // A liquidation index's candidates: positions from…to index this list of accounts (null: accounts from…to).
  const int32_t* list;
};

// collateral.ts's size-premium weight of `units` (≥ 0) of an asset, capped by its flat weight.
inline double premiumWeight(double flat, double premium, double unit, double units) {
  return minJs(1.1 / (1 + premium * std::sqrt(units * unit)), flat);
}

// One instrument's maintenance margin for a nonzero position of `notional` (RequirementTable.maintenance).
// Rows past the first two caps are found by the reference's search; the first two without a branch
// (the caller only uses this kernel for caps that strictly increase, as scan_kernel.ts does).
inline double maintenanceOf(const Columns& c, int i, double notional) {
  const int first = c.tierOffset[i];
  const int last = first + c.tierCount[i] - 1;
  int row = first;
  if (last > first) {
    row += notional > c.maxNotional[first];
    if (last > first + 1) {
      row += notional > c.maxNotional[first + 1];
      if (row == first + 2) {
        while (row < last && notional > c.maxNotional[row]) row++;
      }
    }
  }
  const double margin = notional * c.rate[row] - c.amount[row];
  return notional == 0 ? 0.0 : max0(margin);
}

// I: instruments known at compile time (0: read from the columns), so the common shapes unroll.
// List: positions k index out.list (the account is list[k]) instead of being accounts themselves.
template <int I, bool WithBand, bool List>
int64_t scan(const Columns& c, int64_t from, int64_t to, const Output& out) {
  const int instruments = I > 0 ? I : c.instruments;
  const int assets = c.assets;
  int64_t n = out.offset;
  for (int64_t k = from; k < to; k++) {
    const int64_t a = List ? out.list[k] : k;
    const double* lots = c.lots + a * (List ? c.lotsStride : instruments);
    double equity = c.cash[List ? a * c.cashStride : a];
    double maintenance = 0;
    double exposure = 0;
    double jump = 0;
    for (int i = 0; i < instruments; i++) {
      const double l = lots[i];
      const double mark = c.mark[i];
      const double cpt = c.cpt[i];
      equity += l * mark * cpt;
      if (l != 0) {
        const double notional = std::fabs(l) * mark * cpt;
        maintenance += maintenanceOf(c, i, notional);
        if (WithBand) {
          exposure += notional * (1 + c.rateMax[i]);
          jump += mark == 0 ? kInfinity : c.jumps[i];
        }
      }
    }
    if (assets > 1) {
      double collateral = 0;
      const double* units = c.units + a * (List ? c.unitsStride : assets);
      for (int j = 1; j < assets; j++) {
        const double u = max0(units[j]);
        const double flat = 1 - c.haircut[j];
        const double premium = c.sizePremium[j];
        const double weight = premium == 0 ? flat : premiumWeight(flat, premium, c.assetUnit[j], u);
        collateral += u * c.price[j] * c.cpu[j] * weight;
      }
      equity += collateral;
      if (WithBand) exposure += collateral;
    }
    const bool unhealthy = equity < maintenance;
    if (unhealthy) {
      out.accounts[n] = static_cast<int32_t>(a);
      out.health[n] = maintenance == 0 ? (equity < 0 ? -kInfinity : kInfinity) : equity / maintenance;
      n++;
    }
    if (WithBand) {
      const double spare = equity - maintenance - jump - (1 + 1e-9 * (std::fabs(equity) + maintenance + exposure));
      out.band[out.bandBase + k - from] = unhealthy ? kBandNone
        : exposure == 0 && jump == 0 ? kInfinity
        : spare <= 0 ? kBandNone
        : spare / exposure;
    }
  }
  return n - out.offset;
}


#if defined(__x86_64__) && defined(__GNUC__)
// ---- Four accounts per instruction (AVX2), each lane the same operations as scan<> above.
// Selects and masks move bits, never round, so the results stay bit-identical: the tier row's
// rate and amount are picked by masks for the first two caps (the search runs per lane beyond
// them), Math.max(x, 0) is x & (x > 0 | x ≠ x), and a term the reference skips (a flat
// position) is added as +0, which leaves a sum that is never −0 unchanged.
#define CASCADELAB_AVX2 1
#define AVX2 __attribute__((target("avx2")))

typedef double v4d __attribute__((vector_size(32)));
typedef int64_t v4l __attribute__((vector_size(32)));

AVX2 static inline v4d splat(double x) { return v4d{x, x, x, x}; }
AVX2 static inline v4d load4(const double* p) {
  v4d v;
  __builtin_memcpy(&v, p, sizeof v);
  return v;
}
AVX2 static inline void store4(double* p, v4d v) { __builtin_memcpy(p, &v, sizeof v); }
// Lanes j = 0..3 from p[j·stride] (accounts a..a+3 of an account-major column).
AVX2 static inline v4d strided(const double* p, int64_t stride) { return v4d{p[0], p[stride], p[2 * stride], p[3 * stride]}; }
// Lanes j = 0..3 from p[at[j]·stride] (accounts at[0..3] of an account-major column).
AVX2 static inline v4d gathered(const double* p, const int64_t* at, int64_t stride) {
  return v4d{p[at[0] * stride], p[at[1] * stride], p[at[2] * stride], p[at[3] * stride]};
}
AVX2 static inline v4d keep(v4d x, v4l mask) { return (v4d)((v4l)x & mask); }
AVX2 static inline v4d choose(v4l mask, v4d yes, v4d no) { return (v4d)(((v4l)yes & mask) | ((v4l)no & ~mask)); }
AVX2 static inline v4d max0v(v4d x) { return keep(x, (x > 0) | (x != x)); }
AVX2 static inline v4d absv(v4d x) { return (v4d)((v4l)x & (v4l){INT64_MAX, INT64_MAX, INT64_MAX, INT64_MAX}); }
AVX2 static inline int laneBits(v4l mask) { return __builtin_ia32_movmskpd256((v4d)mask); }

// Per-scan constants of one instrument, splatted.
struct InstrumentLanes {
  v4d mark, cpt, capA, capB, rate0, rate1, rate2, amount0, amount1, amount2, rise, jump;
  int first, last;
};

constexpr int kMaxVectorInstruments = 32;

template <int I, bool WithBand, bool List>
AVX2 int64_t scanAvx2(const Columns& c, int64_t from, int64_t to, const Output& out) {
  const int instruments = I > 0 ? I : c.instruments;
  const int assets = c.assets;
  const int P = c.premiumAssets;
  InstrumentLanes in[kMaxVectorInstruments];
  for (int i = 0; i < instruments; i++) {
    const int first = c.tierOffset[i];
    const int last = first + c.tierCount[i] - 1;
    const int r1 = last > first ? first + 1 : first;
    const int r2 = last > first + 1 ? first + 2 : r1;
    in[i] = InstrumentLanes{
      splat(c.mark[i]), splat(c.cpt[i]),
      // With one row nothing passes the first "cap"; with two, nothing passes the second.
      splat(last > first ? c.maxNotional[first] : kInfinity), splat(last > first + 1 ? c.maxNotional[first + 1] : kInfinity),
      splat(c.rate[first]), splat(c.rate[r1]), splat(c.rate[r2]),
      splat(c.amount[first]), splat(c.amount[r1]), splat(c.amount[r2]),
      splat(1 + c.rateMax[i]), splat(c.mark[i] == 0 ? kInfinity : c.jumps[i]),
      first, last,
    };
  }
  int64_t n = out.offset;
  int64_t k = from;
  for (; k + 4 <= to; k += 4) {
    // The lanes' accounts: a…a+3 for a range (a = k), list[k…k+3] for a list (their columns gathered
    // lane by lane; the range-only pointers below from `a` then go unused).
    const int64_t a = k;
    int64_t at[4] = {k, k + 1, k + 2, k + 3};
    if (List) for (int j = 0; j < 4; j++) at[j] = out.list[k + j];
    v4d equity = List ? gathered(c.cash, at, c.cashStride) : load4(c.cash + a);
    v4d maintenance = splat(0), exposure = splat(0), jump = splat(0);
    const double* lots = c.lots + a * instruments;
    for (int i = 0; i < instruments; i++) {
      const InstrumentLanes& p = in[i];
      const v4d l = List ? gathered(c.lots + i, at, c.lotsStride) : strided(lots + i, instruments);
      equity += l * p.mark * p.cpt;
      const v4d notional = absv(l) * p.mark * p.cpt;
      const v4l pastA = notional > p.capA;
      const v4l pastB = notional > p.capB;
      v4d rate = choose(pastB, p.rate2, choose(pastA, p.rate1, p.rate0));
      v4d amount = choose(pastB, p.amount2, choose(pastA, p.amount1, p.amount0));
      if (p.last > p.first + 2) {
        int far = laneBits(pastB);
        while (far != 0) {
          const int j = __builtin_ctz(far);
          far &= far - 1;
          int row = p.first + 2;
          while (row < p.last && notional[j] > c.maxNotional[row]) row++;
          rate[j] = c.rate[row];
          amount[j] = c.amount[row];
        }
      }
      maintenance += keep(max0v(notional * rate - amount), notional != 0);
      if (WithBand) {
        const v4l held = l != 0;
        exposure += keep(notional * p.rise, held);
        jump += keep(p.jump, held);
      }
    }
    if (assets > 1) {
      v4d collateral = splat(0);
      const double* units = c.units + a * assets;
      int slot = 0;
      for (int x = 1; x < assets; x++) {
        const v4d u = max0v(List ? gathered(c.units + x, at, c.unitsStride) : strided(units + x, assets));
        const double flat = 1 - c.haircut[x];
        v4d weight;
        if (c.sizePremium[x] == 0) {
          weight = splat(flat);
        } else if (List) {
          // Scattered accounts: computing the weight costs less than reading the memo's two lines (and pages) per account.
          const double premium = c.sizePremium[x], unit = c.assetUnit[x];
          weight = v4d{premiumWeight(flat, premium, unit, u[0]), premiumWeight(flat, premium, unit, u[1]), premiumWeight(flat, premium, unit, u[2]),
                       premiumWeight(flat, premium, unit, u[3])};
        } else {
          double* memoUnits = c.memoUnits + slot;
          double* memoWeight = c.memoWeight + slot;
          slot++;
          weight = strided(memoWeight + a * P, P);
          int stale = laneBits(strided(memoUnits + a * P, P) != u);
          while (stale != 0) {
            const int j = __builtin_ctz(stale);
            stale &= stale - 1;
            weight[j] = premiumWeight(flat, c.sizePremium[x], c.assetUnit[x], u[j]);
            memoUnits[(a + j) * P] = u[j];
            memoWeight[(a + j) * P] = weight[j];
          }
        }
        collateral += u * splat(c.price[x]) * splat(c.cpu[x]) * weight;
      }
      equity += collateral;
      if (WithBand) exposure += collateral;
    }
    const v4l unhealthy = equity < maintenance;
    int bits = laneBits(unhealthy);
    while (bits != 0) {
      const int j = __builtin_ctz(bits);
      bits &= bits - 1;
      out.accounts[n] = static_cast<int32_t>(at[j]);
      out.health[n] = maintenance[j] == 0 ? (equity[j] < 0 ? -kInfinity : kInfinity) : equity[j] / maintenance[j];
      n++;
    }
    if (WithBand) {
      const v4d spare = equity - maintenance - jump - (1 + 1e-9 * (absv(equity) + maintenance + exposure));
      v4d band = choose(spare <= 0, splat(kBandNone), spare / exposure);
      band = choose((exposure == 0) & (jump == 0), splat(kInfinity), band);
      band = choose(unhealthy, splat(kBandNone), band);
      store4(out.band + out.bandBase + (k - from), band);
    }
  }
  // The last accounts (fewer than four): the scalar loop.
  const Output tail{out.accounts, out.health, n, out.band, out.bandBase + (k - from), out.list};
  return n - out.offset + scan<I, WithBand, List>(c, k, to, tail);
}
#endif

#if defined(CASCADELAB_AVX2)
const bool kVectorized = __builtin_cpu_supports("avx2");
#else
const bool kVectorized = false;
#endif

template <bool WithBand, bool List>
int64_t dispatch(const Columns& c, int64_t from, int64_t to, const Output& out) {
#if defined(CASCADELAB_AVX2)
  if (kVectorized && c.instruments <= kMaxVectorInstruments) {
    switch (c.instruments) {
      case 1: return scanAvx2<1, WithBand, List>(c, from, to, out);
      case 2: return scanAvx2<2, WithBand, List>(c, from, to, out);
      case 3: return scanAvx2<3, WithBand, List>(c, from, to, out);
      case 4: return scanAvx2<4, WithBand, List>(c, from, to, out);
      default: return scanAvx2<0, WithBand, List>(c, from, to, out);
    }
  }
#endif
  switch (c.instruments) {
    case 1: return scan<1, WithBand, List>(c, from, to, out);
    case 2: return scan<2, WithBand, List>(c, from, to, out);
    case 3: return scan<3, WithBand, List>(c, from, to, out);
    case 4: return scan<4, WithBand, List>(c, from, to, out);
    default: return scan<0, WithBand, List>(c, from, to, out);
  }
}

// ---- Node-API glue. Arguments, in native_scan.ts's order: the 17 read-only columns of Columns,
// memoUnits, memoWeight, instruments, assets, premiumAssets, from, to, accounts, health, offset,
// band (or null), bandBase, list (or null: from…to are accounts, else positions in the list),
// accountStride (list scans only: 0 for the store's columns, else the doubles from one account's
// cash, lots and units to the next's in a liquidation index's copies).

constexpr size_t kColumns = 19;
constexpr size_t kArgs = 31;

// True if a column of `length` doubles holds `width` values for each account below `end`, `stride` apart.
inline bool holds(size_t length, uint64_t end, uint64_t stride, uint64_t width) {
  return end == 0 || length >= (end - 1) * stride + width;
}

napi_value Scan(napi_env env, napi_callback_info info) {
  size_t argc = kArgs;
  napi_value argv[kArgs];
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok || argc != kArgs) return fail(env, "native scan: expected 31 arguments");
  void* data[kColumns];
  size_t len[kColumns];
  for (size_t j = 0; j < kColumns; j++) {
    const napi_typedarray_type kind = j == 5 || j == 6 ? napi_int32_array : napi_float64_array;
    if (!typedArray(env, argv[j], kind, &data[j], &len[j])) return fail(env, "native scan: a column is not the expected typed array");
  }
  int64_t instruments, assets, premiumAssets, from, to, offset, accountStride, bandBase = 0;
  if (!integer(env, argv[19], &instruments) || !integer(env, argv[20], &assets) || !integer(env, argv[21], &premiumAssets) ||
      !integer(env, argv[22], &from) || !integer(env, argv[23], &to) || !integer(env, argv[26], &offset) || !integer(env, argv[30], &accountStride)) {
    return fail(env, "native scan: a count is not an integer");
  }
  void* accountsData;
  void* healthData;
  size_t accountsLength, healthLength;
  if (!typedArray(env, argv[24], napi_int32_array, &accountsData, &accountsLength) ||
      !typedArray(env, argv[25], napi_float64_array, &healthData, &healthLength)) {
    return fail(env, "native scan: bad output arrays");
  }
  // The caller checked the range (checkScanRange); checked again here, since here a bad index corrupts memory.
  if (instruments < 1 || assets < 1 || premiumAssets < 0 || premiumAssets >= assets || from < 0 || to < from || offset < 0 || accountStride < 0) {
    return fail(env, "native scan: bad shape or range");
  }
  // Accounts read: [0, end) — from the range, or the list's largest entry in from…to.
  uint64_t end = static_cast<uint64_t>(to);
  const int32_t* list = nullptr;
  napi_valuetype listType;
  if (napi_typeof(env, argv[29], &listType) != napi_ok) return fail(env, "native scan: bad list");
  if (listType != napi_null) {
    void* listData;
    size_t listLength;
    if (!typedArray(env, argv[29], napi_int32_array, &listData, &listLength) || static_cast<uint64_t>(to) > listLength) {
      return fail(env, "native scan: list shorter than the range");
    }
    list = static_cast<const int32_t*>(listData);
    end = 0;
    for (int64_t k = from; k < to; k++) {
      if (list[k] < 0) return fail(env, "native scan: a negative account in the list");
      if (static_cast<uint64_t>(list[k]) + 1 > end) end = static_cast<uint64_t>(list[k]) + 1;
    }
  }
  const uint64_t I = static_cast<uint64_t>(instruments), A = static_cast<uint64_t>(assets);
  const uint64_t results = static_cast<uint64_t>(offset + (to - from));
  if (accountsLength < results || healthLength < results) return fail(env, "native scan: output arrays too short");
  if (list == nullptr && accountStride != 0) return fail(env, "native scan: an account stride without a list");
  const uint64_t cashStride = accountStride != 0 ? accountStride : 1, lotsStride = accountStride != 0 ? accountStride : I,
                 unitsStride = accountStride != 0 ? accountStride : A;
  bool fits = holds(len[0], end, cashStride, 1) && holds(len[1], end, lotsStride, I) && holds(len[2], end, unitsStride, A) &&
              len[17] >= end * premiumAssets && len[18] >= end * premiumAssets;
  for (const size_t j : {3u, 4u, 5u, 6u, 10u, 11u}) fits = fits && len[j] >= I;
  for (const size_t j : {12u, 13u, 14u, 15u, 16u}) fits = fits && len[j] >= A;
  if (!fits) return fail(env, "native scan: columns shorter than the range");
  const int32_t* tierOffset = static_cast<const int32_t*>(data[5]);
  const int32_t* tierCount = static_cast<const int32_t*>(data[6]);
  for (uint64_t i = 0; i < I; i++) {
    if (tierOffset[i] < 0 || tierCount[i] < 1 || static_cast<uint64_t>(tierOffset[i]) + tierCount[i] > len[7] || len[8] < len[7] || len[9] < len[7]) {
      return fail(env, "native scan: tier table out of range");
    }
  }
  Output out{static_cast<int32_t*>(accountsData), static_cast<double*>(healthData), offset, nullptr, 0, list};
  napi_valuetype bandType;
  if (napi_typeof(env, argv[27], &bandType) != napi_ok) return fail(env, "native scan: bad band");
  if (bandType != napi_null) {
    void* bandData;
    size_t bandLength;
    if (!typedArray(env, argv[27], napi_float64_array, &bandData, &bandLength) || !integer(env, argv[28], &bandBase) || bandBase < 0 ||
        static_cast<uint64_t>(bandBase + (to - from)) > bandLength) {
      return fail(env, "native scan: band column too short");
    }
    out.band = static_cast<double*>(bandData);
    out.bandBase = bandBase;
  }
  const auto f = [&](int j) { return static_cast<const double*>(data[j]); };
  const Columns c{f(0), f(1), f(2), f(3), f(4), tierOffset, tierCount, f(7), f(8), f(9), f(10), f(11), f(12), f(13), f(14), f(15), f(16),
                  static_cast<double*>(data[17]), static_cast<double*>(data[18]),
                  static_cast<int>(instruments), static_cast<int>(assets), static_cast<int>(premiumAssets),
                  static_cast<int64_t>(cashStride), static_cast<int64_t>(lotsStride), static_cast<int64_t>(unitsStride)};
  const int64_t count = list != nullptr ? (out.band == nullptr ? dispatch<false, true>(c, from, to, out) : dispatch<true, true>(c, from, to, out))
                                        : (out.band == nullptr ? dispatch<false, false>(c, from, to, out) : dispatch<true, false>(c, from, to, out));
  napi_value result;
  napi_create_int64(env, count, &result);
  return result;
}

}  // namespace

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "scan", NAPI_AUTO_LENGTH, Scan, nullptr, &fn);
  napi_set_named_property(env, exports, "scan", fn);
  napi_create_function(env, "relink", NAPI_AUTO_LENGTH, cascadelab::Relink, nullptr, &fn);
  napi_set_named_property(env, exports, "relink", fn);
  napi_value vectorized;
  napi_get_boolean(env, kVectorized, &vectorized);
  napi_set_named_property(env, exports, "vectorized", vectorized);
  return exports;
}
