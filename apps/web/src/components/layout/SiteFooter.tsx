export function SiteFooter() {
  return (
    <footer className="site-footer">
      <div className="container">
        <p>
          Hardened Shop. Payments in this shop are simulated: no card is ever
          charged.
        </p>
      </div>
    </footer>
  );
}
