import type { PageType } from '../sdk/src/contract/index.js';
import { CATEGORIES, PRODUCTS, type Product } from './catalog.js';

/**
 * Server-rendered pages of the demo shop. Two personalised blocks (hero, offer) carry a variant per segment
 * the default model can produce and one for prospects (no order yet, never scored); their ordinary children
 * are the default shown to unscored shoppers.
 */
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const money = (n: number) => `$${n.toFixed(2)}`;

const HERO_VARIANTS: Record<string, string> = {
  prospects: 'First time here? Start with the records everybody loves.',
  champions: 'Welcome back, connoisseur — your early access to new pressings is open.',
  loyal: 'Good to see you again — picked for your next listen.',
  big_spenders: 'Collector’s editions, box sets and first pressings.',
  promising: 'You have great taste — here is what to try next.',
  new: 'New here? Start with the records everybody loves.',
  at_risk: 'We miss you — here is what arrived since your last visit.',
  lapsing: 'Still listening? Three new records picked for you.',
  hibernating: 'It has been a while — 15% off your next record.',
};

const OFFER_VARIANTS: Record<string, string> = {
  prospects: '10% off your first order with code WELCOME.',
  champions: 'Free express shipping on every order, always.',
  loyal: 'Double points on your next order.',
  big_spenders: 'Free shipping on box sets.',
  promising: 'Free shipping on your second order.',
  new: '10% off your first order with code HELLO.',
  at_risk: 'Come back: 20% off this week.',
  lapsing: 'Free shipping on your next order, this week only.',
  hibernating: 'Welcome back offer: 15% off everything.',
};

function block(name: string, fallback: string, variants: Record<string, string>): string {
  const templates = Object.entries(variants)
    .map(
      ([segment, text]) =>
        `<template data-shoal-segment="${segment}"><p class="${name}-text">${esc(text)}</p></template>`,
    )
    .join('');
  return `<section class="block ${name}" data-shoal-block="${name}"><p class="${name}-text">${esc(fallback)}</p>${templates}</section>`;
}

/**
 * A storefront page. `pageType` marks the page for Shoal's visit features (data-shoal-page on <html>, which
 * exists before the SDK runs, unlike <body> on a page whose script arrives from cache early).
 */
export function layout(title: string, body: string, snippet: string, pageData: object, pageType: PageType): string {
  return `<!doctype html>
<html lang="en" data-shoal-page="${pageType}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)} · Shoal Records</title>
<link rel="stylesheet" href="/shop.css">
${snippet}
</head><body data-page='${esc(JSON.stringify(pageData))}'>
<header><a href="/" class="logo">Shoal Records</a><nav>${CATEGORIES.map((c) => `<a href="/category/${c}">${c}</a>`).join('')}<a href="/cart" id="cart-link">Cart</a></nav></header>
<main>${body}</main>
<footer>Demo storefront for Shoal · <span id="shoal-status">segment: …</span></footer>
<script src="/shop.js" defer></script>
</body></html>`;
}

const card = (p: Product) =>
  `<li class="card"><a href="/product/${p.id}">${esc(p.name)}</a><span>${money(p.price)}</span><span class="cat">${p.category}</span></li>`;

/**
 * "Popular with shoppers like you": the default is the first few records; a card per product is rendered
 * as an inert template so Shoal can show whichever the edge's table ranks first for the shopper's segment.
 */
const recommendations = () =>
  `<section class="recs" data-shoal-recs="4"><h2>Popular with shoppers like you</h2>` +
  `<ul class="grid" data-shoal-recs-list>${PRODUCTS.slice(0, 4).map(card).join('')}</ul>` +
  PRODUCTS.map((p) => `<template data-shoal-product="${esc(p.id)}">${card(p)}</template>`).join('') +
  `</section>`;

export const homePage = () =>
  block('hero', 'Discover records worth keeping.', HERO_VARIANTS) +
  block('offer', 'Free shipping on orders over $50.', OFFER_VARIANTS) +
  recommendations() +
  `<h2>All records</h2><ul class="grid">${PRODUCTS.map(card).join('')}</ul>`;

export const categoryPage = (category: string) =>
  `<h1>${esc(category)}</h1>` +
  block('offer', 'Free shipping on orders over $50.', OFFER_VARIANTS) +
  `<ul class="grid">${PRODUCTS.filter((p) => p.category === category)
    .map(card)
    .join('')}</ul>`;

export const productPage = (p: Product) =>
  `<article class="product"><h1>${esc(p.name)}</h1><p class="cat">${p.category}</p><p class="price">${money(p.price)}</p>
<button id="add-to-cart">Add to cart</button></article>` +
  block('offer', 'Free shipping on orders over $50.', OFFER_VARIANTS) +
  recommendations();

export const cartPage = () =>
  `<h1>Your cart</h1><ul id="cart-items"></ul><p id="cart-total"></p><a href="/checkout" id="checkout">Checkout</a>`;

export const checkoutPage = () =>
  `<h1>Checkout</h1><ul id="cart-items"></ul><p id="cart-total"></p><button id="place-order">Place order</button><p id="order-result"></p>`;
