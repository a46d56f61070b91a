/** The demo shop's catalogue: a small record store, in the spirit of the CDNOW data the default model learned from. */
export interface Product {
  id: string;
  name: string;
  category: string;
  price: number;
}

export const CATEGORIES = ['jazz', 'rock', 'classical'] as const;

export const PRODUCTS: readonly Product[] = [
  { id: 'kind-of-blue', name: 'Kind of Blue', category: 'jazz', price: 14.99 },
  { id: 'a-love-supreme', name: 'A Love Supreme', category: 'jazz', price: 12.99 },
  { id: 'time-out', name: 'Time Out', category: 'jazz', price: 11.49 },
  { id: 'ok-computer', name: 'OK Computer', category: 'rock', price: 13.99 },
  { id: 'nevermind', name: 'Nevermind', category: 'rock', price: 12.49 },
  { id: 'london-calling', name: 'London Calling', category: 'rock', price: 15.99 },
  { id: 'goldberg-variations', name: 'Goldberg Variations', category: 'classical', price: 16.99 },
  { id: 'four-seasons', name: 'The Four Seasons', category: 'classical', price: 9.99 },
];

export const productById = (id: string) => PRODUCTS.find((p) => p.id === id);
