# Ninsho の日本語メッセージ。英語版（en/ninsho.ftl）と同じ id と変数を持つこと。
# 用語は GLOSSARY.md に従う。文は「です・ます」調、句読点は「、」「。」、語の間に空白を入れない。

## コマンドライン (src/cli.rs)

cli-warning = 警告：{ $text }
cli-no-data-dir = データフォルダーが見つかりません。--data-dir を指定するか、NINSHO_DATA_DIR を設定してください
cli-list-empty = アカウントはまだありません。`ninsho add URI` で追加してください
cli-list-header-issuer = サービス
cli-list-header-account = アカウント
cli-list-header-type = 種類
cli-list-header-group = グループ
cli-repaired-export = 修復：途中で止まったエクスポート{ $path }を削除しました
cli-next-not-hotp = --next はカウンターベース（HOTP）のアカウント用です。{ $name }は時刻ベースです
cli-counter-at-max = { $name }のカウンターはこれ以上増やせません
cli-secret-required = --secret が必要です
cli-needs-issuer-or-account = アカウントを見分けられるよう、--issuer か --account（または両方）を指定してください
cli-transfer-uri-to-add = これは Google Authenticator の移行用 URI です。この URI を書いたファイルを `ninsho import` で読み込んでください
cli-uri-with-parameters = URI を使うときは URI 自身のパラメーターが使われます。--algorithm/--digits/--period/--hotp/--steam を外してください
cli-already-added = { $name }は同じシークレットキーで登録済みです。何も追加していません
cli-added = { $name }を追加しました
cli-remove-confirm = { $names }とそのシークレットキーを完全に削除します。よろしければ --yes を付けてください
cli-removed = { $name }を削除しました
cli-edit-needs-name = アカウントを見分けられるよう、サービス名かアカウント名（または両方）が必要です
cli-edited = { $name }を編集しました
cli-renamed = { $was }の名前を{ $now }に変更しました
cli-edited-no-group = { $line }（グループなし）
cli-edited-group = { $line }（グループ：{ $group }）
cli-cannot-open = { $path }を開けません
cli-cannot-read = { $path }を読み込めません
cli-too-large = { $path }は{ $mib } MiB あり、認証アプリのエクスポートとしては大きすぎます
cli-too-large-limit = { $path }は{ $mib } MiB あり、認証アプリのエクスポートとしては大きすぎます（読み込めるのは{ $limit } MiB まで）
cli-not-encrypted-ignoring = { $format }のファイルは暗号化されていないため、{ $path }は使いません
cli-password-needed = { $path }：この{ $what }ファイルは暗号化されています。--password-file F を指定してください
cli-no-accounts-in-file = { $path }：このファイルにはアカウントがありません
cli-nothing-importable = { $path }：インポートできるアカウントがありません。{ $what }：{ $why }
cli-nothing-importable-more = { $path }：インポートできるアカウントがありません。{ $what }：{ $why }（ほかに{ $more }件も読み込めませんでした）
cli-skipped-entry = { $what }をスキップしました：{ $why }
cli-more-warnings = …ほかに警告が{ $count }件あります
cli-more-skipped = …ほかに{ $count }件をスキップしました
cli-more-duplicates = …ほかに重複が{ $count }件あります
cli-would-skip-duplicate = 重複のためスキップします：{ $name }
cli-would-add = { $name }を追加します
cli-saved-progress = { $total }件中{ $done }件を保存しました
cli-duplicate-skipped = 重複のため{ $name }をスキップしました
cli-import-summary = { $total }件中{ $added }件のアカウントを追加しました（重複でスキップ{ $duplicates }件、インポートできなかった項目{ $skipped }件）
cli-cannot-read-password-file = パスワードファイル{ $path }を読み込めません
cli-password-file = パスワードファイル{ $path }
cli-export-needs-password = { $format }にはパスワードが必要です。--password-file F を指定してください
cli-export-not-encrypted = { $format }のファイルは暗号化されません。--password-file { $path }を外すか、--format aegis-encrypted を使ってください
cli-unknown-paper = 用紙サイズ「{ $paper }」は使えません（使えるもの：{ $known }）
cli-paper-only-pdf = --paper は --format pdf のときだけ使えます
cli-nothing-to-export = エクスポートするアカウントがありません
cli-cannot-export = { $name }をエクスポートできません
cli-cannot-write = { $path }に書き込めません
cli-export-unencrypted-warning = { $path }は暗号化されていません。読んだ人は誰でもあなたの認証コードを作れます。オフラインで保管し、用が済んだら削除してください
cli-exported = { $count }件のアカウントを{ $path }にエクスポートしました

## エラー (src/vault, src/otp, src/formats, src/scan)

err-no-match = 「{ $query }」に一致するアカウントはありません
err-ambiguous = 「{ $query }」に一致するアカウントが{ $count }件あります。もっと詳しく指定してください：
err-ambiguous-more = ほか{ $count }件

## The recovery sheet (src/backup)

sheet-title = Ninshoバックアップシート
sheet-warning = このシートはオフラインで安全な場所に保管してください。写真に撮ったり、信頼できないパソコンに取り込んだりしないでください。このシートを手にした人は誰でも、あなたとしてログインできます。各QRコードをNinshoまたはほかの認証アプリで読み取ると、そのアカウントを復元できます。
# ページ下部。{ $date }は sheet-date-format の形で入ります。
sheet-footer = 印刷日：{ $date }・{ $page }／{ $pages }ページ
# 日付の書き方（strftime 形式）。%Y 年、%-m 月、%-d 日（%m、%d は 0 埋め）。
sheet-date-format = %Y年%-m月%-d日
sheet-no-name = （名前なし）
sheet-no-qr = QRコードはありません：このアカウントのotpauth URI（{ $bytes }バイト）はQRコードに収まりません。代わりにセットアップキーを認証アプリに入力してください。
sheet-unprintable = �と表示された文字は、インストールされているどのフォントにもないため印刷できませんでした。
sheet-secret-key = セットアップキー（シークレットキー）
# 設定の行。アルゴリズム名（SHA1など）はそのまま。
sheet-totp = TOTP・{ $algorithm }・{ $digits }桁・{ $period }秒ごと
sheet-hotp = HOTP・{ $algorithm }・{ $digits }桁・カウンター{ $counter }
sheet-steam = Steam Guard・5文字・{ $period }秒ごと
sheet-parameters-printed = { $parameters }・印刷日：{ $date }
sheet-no-recovery-codes = Ninshoに保存されたバックアップコードはありません
sheet-recovery-codes = バックアップコード：使ったらチェックを入れてください（未使用{ $count }件）
sheet-more-codes = …ほか{ $count }件はNinshoに保存されています
sheet-error-pdf = PDFを書き出せません：{ $reason }
sheet-missing-glyph = 「{ $char }」（U+{ $code }）を印刷できるフォントがインストールされていません。その文字を含むフォント（日本語・中国語・韓国語の名前なら fonts-noto-cjk または fonts-ipafont-gothic）をインストールして、もう一度お試しください
sheet-qr-too-long = { $bytes }バイトのQRコードは作れません：QRコードに収まる量を超えています
sheet-qr-error = { $bytes }バイトのQRコードは作れません：{ $reason }
