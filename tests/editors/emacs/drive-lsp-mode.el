;;; drive-lsp-mode.el --- Drive lsp-mode with editors/emacs/dockside.el against Dockside  -*- lexical-binding: t; -*-

;; emacs --batch -Q -l drive-lsp-mode.el, with the environment of drive.el.  Writes what
;; lsp-mode saw to the JSON report; exits 1 on failure.

;;; Code:

(require 'package)
(add-to-list 'package-directory-list "/usr/share/emacs/site-lisp/elpa")
(package-initialize)

(load (getenv "DOCKSIDE_EMACS_INIT") nil t)
(require 'lsp-mode)
(require 'json)

;; Batch mode has no one to answer lsp-mode's questions and nothing to show its UI in.
(setq lsp-session-file (expand-file-name "lsp-session" temporary-file-directory)
      lsp-auto-guess-root nil
      lsp-restart 'ignore
      lsp-enable-snippet nil
      lsp-headerline-breadcrumb-enable nil
      lsp-modeline-code-actions-enable nil
      lsp-modeline-diagnostics-enable nil
      lsp-lens-enable nil
      lsp-diagnostics-provider :none
      lsp-enable-file-watchers nil)

(defconst drive-timeout 30.0)
(defvar drive-report nil)

(defun drive-put (key value)
  (setq drive-report (cons (cons key value) (assq-delete-all key drive-report))))

(defun drive-wait (what predicate)
  (let ((deadline (+ (float-time) drive-timeout)))
    (while (and (not (funcall predicate)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (unless (funcall predicate)
      (error "Timed out after %ss waiting for %s" drive-timeout what))))

(defun drive-diagnostics (file)
  "The diagnostics lsp-mode holds for FILE, as (line column code message)."
  (let (out)
    (dolist (d (gethash file (lsp-diagnostics t)))
      (let ((start (lsp:range-start (lsp:diagnostic-range d))))
        (push `((line . ,(lsp:position-line start))
                (character . ,(lsp:position-character start))
                (code . ,(lsp:diagnostic-code? d))
                (source . ,(lsp:diagnostic-source? d))
                (message . ,(lsp:diagnostic-message d)))
              out)))
    (sort out (lambda (a b) (< (alist-get 'line a) (alist-get 'line b))))))

(defun drive-run ()
  (let* ((file (getenv "DOCKSIDE_TEST_FILE"))
         (root (file-name-directory file)))
    ;; What answering "import project root?" with the Dockerfile's folder does.
    (lsp-workspace-folders-add root)
    (find-file file)
    (lsp)
    (drive-wait "lsp-mode to initialize dockside"
                (lambda () (seq-find (lambda (w) (eq (lsp--workspace-status w) 'initialized))
                                     (lsp-workspaces))))
    (drive-wait "diagnostics" (lambda () (gethash file (lsp-diagnostics t))))
    (let ((workspace (car (lsp-workspaces))))
      (drive-put 'emacs_version emacs-version)
      (drive-put 'major_mode (symbol-name major-mode))
      (drive-put 'server_id (symbol-name (lsp--client-server-id (lsp--workspace-client workspace))))
      (drive-put 'diagnostics (vconcat (drive-diagnostics file)))
      (drive-put 'has_hover (if (lsp-feature? "textDocument/hover") t :json-false))
      (when (lsp-feature? "textDocument/hover")
        (goto-char (point-min))
        (search-forward "sdk")
        (backward-char 2)
        (let ((hover (lsp-request "textDocument/hover" (lsp--text-document-position-params))))
          (drive-put 'hover (and hover (lsp:markup-content-value (lsp:hover-contents hover)))))))))

(let ((status 0))
  (condition-case err
      (drive-run)
    (error (drive-put 'error (error-message-string err))
           (message "drive-lsp-mode.el FAIL: %s" (error-message-string err))
           (setq status 1)))
  (with-temp-file (getenv "DOCKSIDE_TEST_REPORT")
    (insert (json-encode drive-report)))
  (ignore-errors (lsp-workspace-shutdown (car (lsp-workspaces))))
  (kill-emacs status))

;;; drive-lsp-mode.el ends here
