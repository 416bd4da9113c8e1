;;; drive.el --- Drive Eglot with editors/emacs/dockside.el against Dockside  -*- lexical-binding: t; -*-

;; emacs --batch -Q -l drive.el, with DOCKSIDE_TEST_FILE (the Dockerfile to open),
;; DOCKSIDE_TEST_SECOND_FILE (a Dockerfile.* of the same project), DOCKSIDE_TEST_REPORT
;; (where the JSON report goes) and DOCKSIDE_EMACS_INIT (README's init file lines).  Writes what the
;; editor saw to the report for tests/editors.rs; exits 1 on failure.

;;; Code:

(require 'package)
;; -Q skips package activation: add Debian's elpa-* packages (eglot 1.9 on Emacs 28,
;; dockerfile-mode) the way a user's package.el would.
(add-to-list 'package-directory-list "/usr/share/emacs/site-lisp/elpa")
(package-initialize)

;; What README tells users to write.
(load (getenv "DOCKSIDE_EMACS_INIT") nil t)
(require 'eglot)
(require 'json)

(defconst drive-timeout 30.0)
(defvar drive-report nil "Alist written as JSON at the end.")

(defun drive-put (key value)
  (setq drive-report (cons (cons key value) (assq-delete-all key drive-report))))

(defun drive-wait (what predicate)
  (let ((deadline (+ (float-time) drive-timeout)))
    (while (and (not (funcall predicate)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (unless (funcall predicate)
      (error "Timed out after %ss waiting for %s" drive-timeout what))))

(defun drive-flymake-diagnostics ()
  "Dockside's diagnostics in the current buffer as Flymake shows them."
  (let (out)
    (dolist (d (flymake-diagnostics))
      (let ((beg (flymake-diagnostic-beg d)))
        (push `((line . ,(1- (line-number-at-pos beg)))
                (column . ,(save-excursion (goto-char beg) (current-column)))
                (type . ,(symbol-name (flymake-diagnostic-type d)))
                (text . ,(flymake-diagnostic-text d)))
              out)))
    (sort out (lambda (a b) (< (alist-get 'line a) (alist-get 'line b))))))

(defun drive-open (file)
  "Visits FILE, connects Eglot the way `eglot-ensure' would, waits for diagnostics.
A second Dockerfile of the same project joins the running server by itself."
  (find-file file)
  ;; `eglot-ensure' waits for `post-command-hook', which batch mode never runs.
  (unless (eglot-current-server)
    (let ((eglot-sync-connect t))
      (apply #'eglot (eglot--guess-contact))))
  (drive-wait (format "Eglot to attach to %s" file) #'eglot-current-server)
  ;; Flymake defers its first check to `post-command-hook' too.
  (flymake-start)
  (drive-wait (format "diagnostics in %s" file) #'flymake-diagnostics))

(defun drive-request (method params)
  (jsonrpc-request (eglot-current-server) method params))

(defun drive-symbols (symbols)
  (mapcar (lambda (s)
            `((name . ,(plist-get s :name))
              (kind . ,(plist-get s :kind))
              (children . ,(vconcat (drive-symbols (append (plist-get s :children) nil))))))
          symbols))

(defun drive-hover-text (hover)
  (let ((contents (plist-get hover :contents)))
    (cond ((stringp contents) contents)
          ((plist-get contents :value))
          ((vectorp contents)
           (mapconcat (lambda (c) (if (stringp c) c (plist-get c :value))) contents "\n")))))

(defun drive-capable (capability)
  (let ((value (plist-get (eglot--capabilities (eglot-current-server)) capability)))
    (and value (not (eq value :json-false)))))

(defun drive-lsp-diagnostic (d)
  "The LSP diagnostic behind the Flymake diagnostic D (Eglot keeps it in the data alist)."
  (let ((data (eglot--diag-data d)))
    (if (and (consp data) (consp (car data)) (assq 'eglot-lsp-diag data))
        (cdr (assq 'eglot-lsp-diag data))
      data)))

(defun drive-code-action (code)
  "Applies Dockside's code action for the diagnostic CODE; returns what happened."
  (let* ((server (eglot-current-server))
         (published (seq-find (lambda (d) (equal (plist-get (drive-lsp-diagnostic d) :code) code))
                              (flymake-diagnostics)))
         (lsp-diagnostic (and published (drive-lsp-diagnostic published))))
    (unless lsp-diagnostic
      (error "No %s diagnostic to fix" code))
    (let* ((actions (drive-request :textDocument/codeAction
                                   (list :textDocument (eglot--TextDocumentIdentifier)
                                         :range (plist-get lsp-diagnostic :range)
                                         :context (list :diagnostics (vector lsp-diagnostic)))))
           (action (seq-find (lambda (a)
                               (seq-find (lambda (d) (equal (plist-get d :code) code))
                                         (plist-get a :diagnostics)))
                             actions))
           (result `((titles . ,(vconcat (mapcar (lambda (a) (plist-get a :title)) actions))))))
      (when action
        (let ((edit (plist-get action :edit))
              (command (plist-get action :command))
              (before (buffer-substring-no-properties (point-min) (point-max))))
          (when edit
            (eglot--apply-workspace-edit edit))
          (when command
            (drive-request :workspace/executeCommand
                           (list :command (plist-get command :command)
                                 :arguments (plist-get command :arguments))))
          (push `(title . ,(plist-get action :title)) result)
          (drive-wait "the code action's edit"
                      (lambda () (not (equal before (buffer-substring-no-properties
                                                     (point-min) (point-max))))))
          (push `(text_after . ,(buffer-substring-no-properties (point-min) (point-max))) result)
          ;; Eglot sends didChange on an idle timer, and batch mode is never idle: send it now.
          (when (fboundp 'eglot--signal-textDocument/didChange)
            (eglot--signal-textDocument/didChange))
          (drive-wait "new diagnostics after the edit"
                      (lambda () (not (seq-find (lambda (d) (eq (flymake-diagnostic-beg d)
                                                                (flymake-diagnostic-beg published)))
                                                (flymake-diagnostics)))))
          (push `(diagnostics_after . ,(vconcat (drive-flymake-diagnostics))) result)))
      result)))

(defun drive-run ()
  (drive-open (getenv "DOCKSIDE_TEST_FILE"))
  (let ((server (eglot-current-server)))
    (drive-put 'emacs_version emacs-version)
    (drive-put 'major_mode (symbol-name major-mode))
    (drive-put 'server_name (plist-get (eglot--server-info server) :name))
    (drive-put 'command (vconcat (process-command (jsonrpc--process server))))
    (drive-put 'diagnostics (vconcat (drive-flymake-diagnostics)))
    (drive-put 'symbols (vconcat (drive-symbols
                                  (append (drive-request :textDocument/documentSymbol
                                                         (list :textDocument (eglot--TextDocumentIdentifier)))
                                          nil))))
    (drive-put 'has_hover (if (drive-capable :hoverProvider) t :json-false))
    (drive-put 'has_code_action (if (drive-capable :codeActionProvider) t :json-false))
    (when (drive-capable :hoverProvider)
      (goto-char (point-min))
      (search-forward "sdk")
      (drive-put 'hover (drive-hover-text
                         (drive-request :textDocument/hover
                                        (list :textDocument (eglot--TextDocumentIdentifier)
                                              :position (eglot--pos-to-lsp-position (- (point) 2)))))))
    (when (drive-capable :codeActionProvider)
      (drive-put 'code_action (drive-code-action "JSONArgsRecommended")))
    (let ((first-buffer (current-buffer)))
      (drive-open (getenv "DOCKSIDE_TEST_SECOND_FILE"))
      (drive-put 'second `((major_mode . ,(symbol-name major-mode))
                           (same_server . ,(if (eq (eglot-current-server) server) t :json-false))
                           (diagnostics . ,(vconcat (drive-flymake-diagnostics)))))
      (set-buffer first-buffer))))

(let ((status 0))
  (condition-case err
      (drive-run)
    (error (drive-put 'error (error-message-string err))
           (message "drive.el FAIL: %s" (error-message-string err))
           (setq status 1)))
  (with-temp-file (getenv "DOCKSIDE_TEST_REPORT")
    (insert (json-encode drive-report)))
  (ignore-errors (eglot-shutdown-all))
  (kill-emacs status))

;;; drive.el ends here
