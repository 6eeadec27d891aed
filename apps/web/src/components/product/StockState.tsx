const LOW_STOCK = 5;

export function StockState({
  stock,
  inStock,
}: {
  stock: number;
  inStock: boolean;
}) {
  if (!inStock || stock <= 0)
    return <p className="stock stock--out">Out of stock</p>;
  if (stock <= LOW_STOCK)
    return <p className="stock stock--low">Only {stock} left</p>;
  return <p className="stock stock--in">In stock</p>;
}
