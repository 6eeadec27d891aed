export function SiteFooter() {
  return (
    <footer className="site-footer">
      <div className="container">
        <p>Hardened Shop. Prices include VAT where the cart shows it. Payments in this shop are simulated.</p>
      </div>
    </footer>
  );
}
