/**
 * The demo shop's own browser script: a localStorage cart and the `shoal.track` calls a storefront makes.
 * It talks to Shoal only through the public API the snippet provides.
 */
interface PageData {
  page: string;
  product?: { productId: string; category: string; price: number; name: string };
}
interface CartLine {
  productId: string;
  category: string;
  price: number;
  name: string;
  quantity: number;
}
interface ShoalApi {
  track(name: string, props?: object): void;
  status?: () => { segment: string | null; valueTier: string | null; model: string | null; intent?: number | null };
}

const shoal = () => (window as unknown as { shoal: ShoalApi }).shoal;
const data = JSON.parse(document.body.dataset.page ?? '{}') as PageData;
const CART_KEY = 'demo:cart';

const readCart = (): CartLine[] => JSON.parse(localStorage.getItem(CART_KEY) ?? '[]') as CartLine[];
const writeCart = (cart: CartLine[]) => localStorage.setItem(CART_KEY, JSON.stringify(cart));
const total = (cart: CartLine[]) => Math.round(cart.reduce((s, l) => s + l.price * l.quantity, 0) * 100) / 100;

function renderCart(): void {
  const list = document.getElementById('cart-items');
  if (!list) return;
  const cart = readCart();
  list.innerHTML = '';
  for (const line of cart) {
    const li = document.createElement('li');
    li.textContent = `${line.quantity} × ${line.name} — $${(line.price * line.quantity).toFixed(2)}`;
    list.appendChild(li);
  }
  document.getElementById('cart-total')!.textContent = cart.length
    ? `Total: $${total(cart).toFixed(2)}`
    : 'Your cart is empty.';
}

if (data.page === 'product' && data.product) {
  const { name, ...product } = data.product;
  shoal().track('product_view', product);
  document.getElementById('add-to-cart')?.addEventListener('click', () => {
    const cart = readCart();
    const line = cart.find((l) => l.productId === product.productId);
    if (line) line.quantity++;
    else cart.push({ ...product, name, quantity: 1 });
    writeCart(cart);
    shoal().track('add_to_cart', { ...product, quantity: 1 });
    document.getElementById('add-to-cart')!.textContent = 'Added ✓';
  });
}

if (data.page === 'checkout') {
  const cart = readCart();
  if (cart.length) shoal().track('begin_checkout', { value: total(cart) });
  document.getElementById('place-order')?.addEventListener('click', () => {
    const lines = readCart();
    if (!lines.length) return;
    shoal().track('purchase', {
      orderId: `order-${Date.now().toString(36)}`,
      total: total(lines),
      currency: 'USD',
      items: lines.map(({ productId, category, price, quantity }) => ({ productId, category, price, quantity })),
    });
    writeCart([]);
    renderCart();
    document.getElementById('order-result')!.textContent = 'Thank you for your order!';
  });
}

renderCart();

// A small live readout so people trying the demo can see what Shoal decided.
const readout = document.getElementById('shoal-status');
setInterval(() => {
  const s = shoal().status?.();
  if (readout && s)
    readout.textContent =
      `segment: ${s.segment ?? '—'} · value: ${s.valueTier ?? '—'} · ` +
      `intent: ${s.intent == null ? '—' : `${Math.round(s.intent * 100)} %`} · model: ${s.model ?? '—'}`;
}, 1000);
