// Every change to the venue is an event. Inputs come from outside the venue (setup, agents, the
// price process, the oracle network); outcomes are what the venue did in response. Each event
// carries its journal sequence number `seq` (dispatch order, dense from 0), the simulated time
// `t` (integer ms) and `cause`: the seq of the event that led to it, or NO_CAUSE. Following
// causes from a liquidation back to an exogenous price move gives the cascade tree.
//
// Field order is fixed by the factories below, so the msgpack bytes of an event are reproducible.
// Units: prices in integer ticks, sizes in integer lots, money in integer cash units (see
// VenueConfig.cashUnit), time in simulated ms.

export const NO_CAUSE = -1;

export type Side = 'buy' | 'sell';
/** limit: rests the remainder; market: fills within the market-order band, cancels the rest;
 * ioc: fills up to its limit price, cancels the rest; post_only: rejected if it would take. */
export type OrderType = 'limit' | 'market' | 'ioc' | 'post_only';
export type CancelReason = 'user' | 'unfilled' | 'liquidation' | 'self_trade';
export type RejectReason =
  | 'unknown_account'
  | 'unknown_instrument'
  | 'bad_size'
  | 'bad_price'
  | 'insufficient_margin'
  | 'would_take'
  | 'unknown_order'
  | 'instrument_not_allowed'
  /** A limit or post-only order on an instrument executed against an impact model (no book to rest in). */
  | 'no_book';
export type TransferRejectReason =
  | 'unknown_account'
  | 'not_related'
  | 'unknown_asset'
  | 'bad_amount'
  | 'insufficient_balance'
  | 'insufficient_margin';
/** cross: a top-level account (one pool); isolated: a compartment of a cross parent holding one
 * instrument; sub_account: a compartment of a cross parent holding any instruments. */
export type MarginMode = 'cross' | 'isolated' | 'sub_account'

// ---- inputs ----------------------------------------------------------------------------------

/** Opens account `account`; a compartment (isolated / sub_account) names its cross `parent` (else -1)
 * and an isolated one the only `instrument` it may hold (else -1). */
export interface OpenAccount {
  kind: 'OpenAccount'; seq: number; t: number; cause: number
  account: number; mode: MarginMode; parent: number; instrument: number
}
/** Credits `amount` integer units of asset `asset` (cash units for the cash asset 0). */
export interface Deposit { kind: 'Deposit'; seq: number; t: number; cause: number; account: number; amount: number; asset: number }
/** Moves `amount` units of `asset` from `account` to `to`, between a parent and one of its compartments. */
export interface Transfer {
  kind: 'Transfer'; seq: number; t: number; cause: number
  account: number; to: number; asset: number; amount: number
}
/** An off-book trade agreed between two accounts (used to seed positions at setup). */
export interface BlockTrade {
  kind: 'BlockTrade'; seq: number; t: number; cause: number
  instrument: number; buyer: number; seller: number; priceTicks: number; lots: number
}
export interface PlaceOrder {
  kind: 'PlaceOrder'; seq: number; t: number; cause: number
  account: number; instrument: number; side: Side; type: OrderType; priceTicks: number; lots: number
}
export interface CancelOrder { kind: 'CancelOrder'; seq: number; t: number; cause: number; account: number; instrument: number; orderId: number }
/** The reference price of asset `asset` outside the venue (its ticks); `exogenousTicks` is its path without venue impact. */
export interface ExternalPrice {
  kind: 'ExternalPrice'; seq: number; t: number; cause: number
  asset: number; priceTicks: number; exogenousTicks: number
}
/**
 * A trade of `lots` (signed: > 0 buys) by agent account `account` on the reference market outside
 * the venue, in lots of instrument `instrument` (its base asset's market): an arbitrageur's or a
 * market maker's hedge. The venue's books do not see it; the price process of the base asset
 * turns it into reference-market impact (the only way the venue's flow reaches the outside price).
 */
export interface ExternalTrade {
  kind: 'ExternalTrade'; seq: number; t: number; cause: number
  account: number; instrument: number; lots: number
}
/** A price of asset `asset` published to the venue by its oracle (the asset's ticks). */
export interface OraclePrice { kind: 'OraclePrice'; seq: number; t: number; cause: number; asset: number; priceTicks: number }

/** Time passes for the venue's timed market rules: premium samples, funding settlements, book-based marks. */
export interface MarketTick { kind: 'MarketTick'; seq: number; t: number; cause: number }
/** live: the oracle publishes normally; stale: it publishes a frozen price; outage: it publishes nothing. */
export type OracleState = 'live' | 'stale' | 'outage'
/** Asset `asset`'s oracle changed state (a scripted fault starts or ends). */
export interface OracleStatus { kind: 'OracleStatus'; seq: number; t: number; cause: number; asset: number; status: OracleState }

/** Re-examines account `account`'s liquidation (rate-limit interval, delay or auction over; for account 0, the fund's next unwind); sent by LiquidationClock. */
export interface LiquidationWake { kind: 'LiquidationWake'; seq: number; t: number; cause: number; account: number }
/** Liquidator account `account` offers to take up to `lots` of the position in auction `auction` (the auction's seq). */
export interface LiquidatorBid {
  kind: 'LiquidatorBid'; seq: number; t: number; cause: number; account: number; auction: number; lots: number
}

export type InputEvent =
  | OpenAccount | Deposit | Transfer | BlockTrade | PlaceOrder | CancelOrder | ExternalPrice | ExternalTrade | OraclePrice
  | MarketTick | OracleStatus | LiquidationWake | LiquidatorBid

// ---- outcomes --------------------------------------------------------------------------------

/** A limit order's remainder now rests in the book; its id is the seq of its PlaceOrder. */
export interface OrderRested {
  kind: 'OrderRested'; seq: number; t: number; cause: number
  account: number; instrument: number; orderId: number; side: Side; priceTicks: number; lots: number
}
export interface OrderCancelled {
  kind: 'OrderCancelled'; seq: number; t: number; cause: number
  account: number; instrument: number; orderId: number; lots: number; reason: CancelReason
}
export interface OrderRejected { kind: 'OrderRejected'; seq: number; t: number; cause: number; account: number; reason: RejectReason }
export interface TransferRejected {
  kind: 'TransferRejected'; seq: number; t: number; cause: number; account: number; to: number; reason: TransferRejectReason
}
/** A trade in the book (or against an instrument's impact model: makerOrderId −1, maker = the model's counterparty). `side` is the taker's; the maker traded the other side. `liquidation`: liquidation flow (a liquidated account's order, or the insurance fund's unwind: taker 0), which pays no taker fee and moves the external price. */
export interface Fill {
  kind: 'Fill'; seq: number; t: number; cause: number
  instrument: number; taker: number; maker: number; makerOrderId: number; side: Side
  priceTicks: number; lots: number; takerFee: number; makerFee: number; liquidation: boolean
}
export interface MarkPrice { kind: 'MarkPrice'; seq: number; t: number; cause: number; instrument: number; priceTicks: number }
/** partial: close just enough to restore the target health, within the step caps; full: close everything. */
export type LiquidationMode = 'partial' | 'full'
/**
 * One liquidation step of an account whose equity fell below its maintenance margin (both at
 * the step's start). `cause` is what made it liquidatable: the mark change or fill, or for a
 * follow-up step (after the rate-limit interval or an auction) the cause of the episode's first step.
 */
export interface Liquidation {
  kind: 'Liquidation'; seq: number; t: number; cause: number
  account: number; equity: number; maintenanceMargin: number; mode: LiquidationMode
}
/** The backstop (insurance fund account) took over a position that neither the book nor a liquidator took. */
export interface BackstopTakeover {
  kind: 'BackstopTakeover'; seq: number; t: number; cause: number
  account: number; instrument: number; side: Side; priceTicks: number; lots: number
}
/** The insurance fund's part of a liquidation penalty (cash units), paid by the liquidated account. */
export interface LiquidationPenalty { kind: 'LiquidationPenalty'; seq: number; t: number; cause: number; account: number; amount: number }
export interface FundPayout { kind: 'FundPayout'; seq: number; t: number; cause: number; account: number; amount: number }
export interface BadDebt { kind: 'BadDebt'; seq: number; t: number; cause: number; account: number; amount: number }
/** A liquidated account's deficit is covered by its collateral: `units` of `asset` go to the
 * insurance fund, which credits the account `amount` cash units (their haircut value, floored). */
export interface CollateralSeized {
  kind: 'CollateralSeized'; seq: number; t: number; cause: number; account: number; asset: number; units: number; amount: number
}

/** A funding settlement of instrument `instrument`: `rate` per interval from the average `premium` of `samples`, paid at `markTicks`. */
export interface FundingRate {
  kind: 'FundingRate'; seq: number; t: number; cause: number
  instrument: number; rate: number; premium: number; samples: number; markTicks: number
}
/** Funding of one account's position of `lots`: `amount` cash units received (> 0) or paid (< 0). */
export interface FundingPayment {
  kind: 'FundingPayment'; seq: number; t: number; cause: number; instrument: number; account: number; lots: number; amount: number
}
/** The venue asks to re-examine `account`'s liquidation at `dueMs` (LiquidationClock turns it into a LiquidationWake). */
export interface LiquidationDeferred { kind: 'LiquidationDeferred'; seq: number; t: number; cause: number; account: number; dueMs: number }
/**
 * `lots` of `account`'s position in `instrument` are offered to liquidators until `endsMs`; the
 * auction's id is this event's seq. A taker trades `side` (the liquidated account's closing side
 * is the opposite) at the mark and receives `rewardRate` of the notional from the penalty.
 */
export interface LiquidationAuction {
  kind: 'LiquidationAuction'; seq: number; t: number; cause: number
  account: number; instrument: number; side: Side; lots: number; markTicks: number; rewardRate: number; endsMs: number
}
/** Liquidator `liquidator` took `lots` of `account`'s position at `priceTicks` (the mark); `side` is the liquidator's. */
export interface LiquidatorTakeover {
  kind: 'LiquidatorTakeover'; seq: number; t: number; cause: number
  account: number; liquidator: number; auction: number; instrument: number; side: Side; priceTicks: number; lots: number
}
export type BidRejectReason = 'auction_closed' | 'unknown_account' | 'bad_size' | 'instrument_not_allowed' | 'insufficient_margin'
export interface LiquidatorBidRejected {
  kind: 'LiquidatorBidRejected'; seq: number; t: number; cause: number; account: number; auction: number; reason: BidRejectReason
}
/** The liquidator's part of `account`'s liquidation penalty (cash units). */
export interface LiquidatorReward {
  kind: 'LiquidatorReward'; seq: number; t: number; cause: number; account: number; liquidator: number; amount: number
}
/**
 * Auto-deleveraging: `lots` of `account`'s position (ranked `rank`, 1 = first, by profit % ×
 * effective leverage) were closed against bankrupt account `bankrupt` at its bankruptcy price
 * `priceTicks`; `side` is `account`'s trade.
 */
export interface AutoDeleverage {
  kind: 'AutoDeleverage'; seq: number; t: number; cause: number
  account: number; bankrupt: number; instrument: number; side: Side; priceTicks: number; lots: number; rank: number
}
/** `account`, holding the side opposite bankrupt `bankrupt` in `instrument`, pays `amount` cash units of its deficit. */
export interface SocializedLoss {
  kind: 'SocializedLoss'; seq: number; t: number; cause: number; account: number; bankrupt: number; instrument: number; amount: number
}

/**
 * The insurance fund (account 0) sends a reduce-only order of `lots` in `instrument` on `side`,
 * filling no further than `limitTicks`, to unwind what it took over; its Fills (taker 0,
 * liquidation flow) follow with this event as cause. The rest of the order is dropped.
 */
export interface FundUnwind {
  kind: 'FundUnwind'; seq: number; t: number; cause: number; instrument: number; side: Side; lots: number; limitTicks: number
}
/** The liquidation engine reached `account` with negative `equity` (gap risk); once per episode (the fund: each time). */
export interface Underwater {
  kind: 'Underwater'; seq: number; t: number; cause: number; account: number; equity: number; maintenanceMargin: number
}
/**
 * One deficit of `account` resolved, by part (cash units): seized collateral, fund payout,
 * socialised to opposing holders, absorbed by auto-deleveraging at the bankruptcy price, bad
 * debt. `deficit` is their sum.
 */
export interface DeficitResolved {
  kind: 'DeficitResolved'; seq: number; t: number; cause: number; account: number; deficit: number
  collateral: number; fund: number; socialized: number; adl: number; badDebt: number
}

export type OutcomeEvent =
  | OrderRested | OrderCancelled | OrderRejected | TransferRejected | Fill | MarkPrice
  | Liquidation | BackstopTakeover | LiquidationPenalty | CollateralSeized | FundPayout | BadDebt
  | FundingRate | FundingPayment
  | LiquidationDeferred | LiquidationAuction | LiquidatorTakeover | LiquidatorBidRejected | LiquidatorReward
  | AutoDeleverage | SocializedLoss
  | FundUnwind | Underwater | DeficitResolved

export type VenueEvent = InputEvent | OutcomeEvent
export type EventKind = VenueEvent['kind']
export type EventOfKind<K extends EventKind> = Extract<VenueEvent, { kind: K }>

export const INPUT_KINDS: readonly InputEvent['kind'][] = [
  'OpenAccount', 'Deposit', 'Transfer', 'BlockTrade', 'PlaceOrder', 'CancelOrder', 'ExternalPrice', 'ExternalTrade', 'OraclePrice',
  'MarketTick', 'OracleStatus',
  'LiquidationWake', 'LiquidatorBid',
]
export const OUTCOME_KINDS: readonly OutcomeEvent['kind'][] = [
  'OrderRested', 'OrderCancelled', 'OrderRejected', 'TransferRejected', 'Fill', 'MarkPrice',
  'Liquidation', 'BackstopTakeover', 'LiquidationPenalty', 'CollateralSeized', 'FundPayout', 'BadDebt',
  'FundingRate', 'FundingPayment',
  'LiquidationDeferred', 'LiquidationAuction', 'LiquidatorTakeover', 'LiquidatorBidRejected', 'LiquidatorReward',
  'AutoDeleverage', 'SocializedLoss',
  'FundUnwind', 'Underwater', 'DeficitResolved',
]
const inputKindSet: ReadonlySet<string> = new Set(INPUT_KINDS)

/** True for events that come from outside the venue (replayed), false for outcomes (re-derived). */
export function isInput(event: VenueEvent): event is InputEvent {
  return inputKindSet.has(event.kind)
}

// ---- input factories: fixed field order, seq assigned by the loop at dispatch ---------------------

export const UNSTAMPED = -1

/** Opens cross account `account` (ids are dense: it must be the next id). */
export function openAccount(t: number, account: number): OpenAccount {
  return { kind: 'OpenAccount', seq: UNSTAMPED, t, cause: NO_CAUSE, account, mode: 'cross', parent: -1, instrument: -1 }
}
/** Opens compartment `account` of cross account `parent`: isolated to `instrument`, or a sub-account if -1. */
export function openCompartment(t: number, account: number, parent: number, instrument: number): OpenAccount {
  const mode: MarginMode = instrument >= 0 ? 'isolated' : 'sub_account'
  return { kind: 'OpenAccount', seq: UNSTAMPED, t, cause: NO_CAUSE, account, mode, parent, instrument }
}
/** Credits `amount` units of `asset` (default: cash units of the cash asset) to an account. */
export function deposit(t: number, account: number, amount: number, asset = 0): Deposit {
  return { kind: 'Deposit', seq: UNSTAMPED, t, cause: NO_CAUSE, account, amount, asset }
}
/** Moves `amount` units of `asset` from `from` to `to` (a parent and one of its compartments). */
export function transfer(t: number, from: number, to: number, asset: number, amount: number): Transfer {
  return { kind: 'Transfer', seq: UNSTAMPED, t, cause: NO_CAUSE, account: from, to, asset, amount }
}
/** An off-book trade of `lots` at `priceTicks` between buyer and seller. */
export function blockTrade(t: number, instrument: number, buyer: number, seller: number, priceTicks: number, lots: number): BlockTrade {
  return { kind: 'BlockTrade', seq: UNSTAMPED, t, cause: NO_CAUSE, instrument, buyer, seller, priceTicks, lots }
}
/** An order for `lots` at `priceTicks` (ignored for market orders, which use the band); `cause`: the event that prompted it. */
export function placeOrder(
  t: number, account: number, instrument: number, side: Side, type: OrderType, priceTicks: number, lots: number, cause = NO_CAUSE,
): PlaceOrder {
  return { kind: 'PlaceOrder', seq: UNSTAMPED, t, cause, account, instrument, side, type, priceTicks, lots }
}
/** Cancels resting order `orderId` of `account`. */
export function cancelOrder(t: number, account: number, instrument: number, orderId: number): CancelOrder {
  return { kind: 'CancelOrder', seq: UNSTAMPED, t, cause: NO_CAUSE, account, instrument, orderId }
}
/** An observation of asset `asset`'s external reference price. */
export function externalPrice(t: number, asset: number, priceTicks: number, exogenousTicks: number, cause: number): ExternalPrice {
  return { kind: 'ExternalPrice', seq: UNSTAMPED, t, cause, asset, priceTicks, exogenousTicks }
}
/** A reference-market trade of `lots` (signed, lots of `instrument`) by `account`, prompted by event `cause`. */
export function externalTrade(t: number, account: number, instrument: number, lots: number, cause: number): ExternalTrade {
  return { kind: 'ExternalTrade', seq: UNSTAMPED, t, cause, account, instrument, lots }
}
/** An oracle publication of asset `asset`'s price reaching the venue. */
export function oraclePrice(t: number, asset: number, priceTicks: number, cause: number): OraclePrice {
  return { kind: 'OraclePrice', seq: UNSTAMPED, t, cause, asset, priceTicks }
}
/** A tick of the venue's market clock (premium samples, funding, book-based marks). */
export function marketTick(t: number): MarketTick {
  return { kind: 'MarketTick', seq: UNSTAMPED, t, cause: NO_CAUSE }
}
/** Asset `asset`'s oracle enters state `status`. */
export function oracleStatus(t: number, asset: number, status: OracleState): OracleStatus {
  return { kind: 'OracleStatus', seq: UNSTAMPED, t, cause: NO_CAUSE, asset, status }
}
/** A wake-up of account `account`'s liquidation at `t`, asked for by LiquidationDeferred `cause`. */
export function liquidationWake(t: number, account: number, cause: number): LiquidationWake {
  return { kind: 'LiquidationWake', seq: UNSTAMPED, t, cause, account }
}
/** Liquidator `account` bids for `lots` of auction `auction` (the bid's cause is the auction). */
export function liquidatorBid(t: number, account: number, auction: number, lots: number): LiquidatorBid {
  return { kind: 'LiquidatorBid', seq: UNSTAMPED, t, cause: auction, account, auction, lots }
}
